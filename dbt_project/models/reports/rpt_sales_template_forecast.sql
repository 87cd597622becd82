{#- Each cycle's statistical forecast (P50 units) by region x product line x target month, with
    the months ahead of the cycle: what the sales team's template is pre-filled with. -#}
with

forecast as (

    select * from {{ ref('fct_forecast') }}
    where target_month > cycle_month

),

final as (

    select
        cycle_month,
        region,
        product_line,
        target_month,
        lag_months,
        sum(p50_units) as units
    from forecast
    group by cycle_month, region, product_line, target_month, lag_months

)

select * from final
