-- Each region's submission of the cycle before: shown beside the statistical forecast.
select
    region,
    product_line,
    target_month,
    forecast_units
from marts.fct_sales_team_forecast
where planning_month = cast($cycle_month as date) - interval 1 month
order by all
