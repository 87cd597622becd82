{#- The statistical forecast of every planning cycle, one row per cycle x series x target month.
    A thin, typed copy of ml.forecast: the versioned forecasts accuracy is measured on. -#}
with

forecast as (

    select * from {{ source('ml', 'forecast') }}

),

final as (

    select
        {{ surrogate_key(['cycle_month', 'sku', 'region', 'channel', 'target_month']) }}
            as forecast_id,
        cast(cycle_month as date) as cycle_month,
        sku,
        product_line,
        region,
        channel,
        cast(target_month as date) as target_month,
        cast(lag as integer) as lag_months,
        cast(p10 as double) as p10_units,
        cast(p50 as double) as p50_units,
        cast(p90 as double) as p90_units,
        cast(naive as double) as naive_units,
        model as model_name,
        demand_class
    from forecast

)

select * from final
