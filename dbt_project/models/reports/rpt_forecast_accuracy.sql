{#- Company-total accuracy per target month, lag and method (the accuracy-by-lag chart). -#}
with

accuracy as (

    select * from {{ ref('mart_forecast_accuracy') }}
    where level = 'total'

),

final as (

    select
        target_month,
        lag_months,
        method,
        wape,
        forecast_accuracy,
        bias,
        mase,
        fva_wape
    from accuracy

)

select * from final
