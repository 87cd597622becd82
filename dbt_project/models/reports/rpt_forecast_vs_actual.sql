{#- Actual demand and the lag-1 forecast of each method per month and product line: the
    retrospective's forecast-vs-actual charts. -#}
with

accuracy as (

    select * from {{ ref('mart_forecast_accuracy') }}
    where level = 'product_line' and lag_months = 1

),

final as (

    select
        target_month as month,
        subject as product_line,
        max(actual_units) as actual_units,
        sum(case when method = 'naive' then forecast_units end) as naive_units,
        sum(case when method = 'statistical' then forecast_units end) as statistical_units,
        sum(case when method = 'consensus' then forecast_units end) as consensus_units
    from accuracy
    group by target_month, subject

)

select * from final
