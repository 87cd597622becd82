-- The cycle's statistical forecast (P50 units) by region x product line x target month,
-- for the first $months target months: what the sales team's template is pre-filled with.
select
    region,
    product_line,
    target_month,
    sum(p50_units) as units
from marts.fct_forecast
where cycle_month = $cycle_month
    and target_month > $cycle_month
    and target_month <= cast($cycle_month as date) + to_months(cast($months as integer))
group by all
order by all
