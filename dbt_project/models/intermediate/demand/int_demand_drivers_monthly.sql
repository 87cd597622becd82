{#- The forecast's demand drivers per sku x region x month, from the first month of demand
    history to the end of the calendar (which covers the forecast horizon): the promotion depth
    averaged over the month's days (promotions are planned ahead, so future months have it) and
    the list price observed in the month (empty without orders). A planning cycle reads it as
    known at its month (orchestration/sql/cycle_drivers.sql): the series that have demand by
    then, the observed prices up to then carried forward. -#}
with

demand as (

    select * from {{ ref('fct_demand_monthly') }}

),

promotions as (

    select * from {{ ref('int_promotion_depth_monthly') }}

),

calendar as (

    select * from {{ ref('int_calendar_days_spined') }}

),

series as (

    select
        sku,
        region,
        min(month) as first_demand_month
    from demand
    group by sku, region

),

history_start as (

    select min(month) as first_month from demand

),

months as (

    select distinct {{ month_start('calendar.date_day') }} as month
    from calendar
    cross join history_start
    where calendar.date_day >= history_start.first_month

),

prices as (

    select
        sku,
        region,
        month,
        avg(avg_list_price) as observed_list_price
    from demand
    where avg_list_price is not null
    group by sku, region, month

),

final as (

    select
        series.sku,
        series.region,
        months.month,
        series.first_demand_month,
        coalesce(promotions.promo_depth, 0.0) as promo_depth,
        prices.observed_list_price
    from series
    cross join months
    left join promotions
        on series.sku = promotions.sku
        and series.region = promotions.region
        and months.month = promotions.month
    left join prices
        on series.sku = prices.sku
        and series.region = prices.region
        and months.month = prices.month

)

select * from final
