-- Demand drivers per sku x region x month, from the first month of history to
-- the end of the horizon: the promotion depth averaged over the month's days
-- (promotions are planned ahead, so the calendar covers future months) and
-- the list price, carried forward from the last month known at $cycle_month.
-- $horizon_months: the forecast horizon (forecast.horizon_months).
with series as (
    select distinct sku, region
    from marts.fct_demand_monthly
    where month <= $cycle_month
),

months as (
    select cast(unnest(generate_series(
        (select min(month) from marts.fct_demand_monthly),
        cast($cycle_month as date) + to_months(cast($horizon_months as integer)),
        interval 1 month
    )) as date) as month
),

promotions as (
    select
        sku,
        region,
        cast(date_trunc('month', promo_date) as date) as month,
        sum(discount_depth) / max(day(last_day(promo_date))) as promo_depth
    from intermediate.int_promotion_days_expanded
    group by all
),

prices as (
    select
        sku,
        region,
        month,
        avg(avg_list_price) as list_price
    from marts.fct_demand_monthly
    where month <= $cycle_month and avg_list_price is not null
    group by all
)

select
    series.sku,
    series.region,
    months.month,
    coalesce(promotions.promo_depth, 0.0) as promo_depth,
    last_value(prices.list_price ignore nulls) over (
        partition by series.sku, series.region order by months.month
        rows between unbounded preceding and current row
    ) as list_price
from series
cross join months
left join promotions
    on series.sku = promotions.sku and series.region = promotions.region
    and months.month = promotions.month
left join prices
    on series.sku = prices.sku and series.region = prices.region
    and months.month = prices.month
order by series.sku, series.region, months.month
