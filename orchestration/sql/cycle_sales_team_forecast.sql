-- The sales team's submissions for this planning cycle (region x product line x month).
select
    region,
    product_line,
    target_month,
    forecast_units
from marts.fct_sales_team_forecast
where planning_month = $cycle_month
order by region, product_line, target_month
