{#- The promotion depth of each sku x region x month with a promotion day: the deepest depth
    running each day, averaged over the days of the month (0.2 all month = 0.2; 0.2 for ten
    days of a 31-day month = 0.0645). Defined once here: fct_demand_monthly publishes it,
    int_demand_drivers_monthly gives it to the forecast, planned future months included. -#}
with

promotion_days as (

    select * from {{ ref('int_promotion_days_expanded') }}

),

promotion_months as (

    select
        sku,
        region,
        {{ month_start('promo_date') }} as month,
        sum(discount_depth) as depth_days
    from promotion_days
    group by sku, region, {{ month_start('promo_date') }}

),

final as (

    select
        sku,
        region,
        month,
        depth_days / {{ days_in_month('month') }} as promo_depth
    from promotion_months

)

select * from final
