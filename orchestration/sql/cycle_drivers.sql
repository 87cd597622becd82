-- The demand drivers of one planning cycle (intermediate.int_demand_drivers_monthly as known
-- at $cycle_month): the series with demand by then, every month to the end of the horizon
-- ($horizon_months, forecast.horizon_months), the planned promotion depth, and the list price
-- observed up to $cycle_month carried forward.
select
    sku,
    region,
    month,
    promo_depth,
    last_value(case when month <= $cycle_month then observed_list_price end ignore nulls) over (
        partition by sku, region order by month
        rows between unbounded preceding and current row
    ) as list_price
from intermediate.int_demand_drivers_monthly
where first_demand_month <= $cycle_month
    and month <= cast($cycle_month as date) + to_months(cast($horizon_months as integer))
order by sku, region, month
