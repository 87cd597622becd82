-- The cycle's statistical forecast (P50 units) by region x product line x target month, for the
-- first $months target months (reports.rpt_sales_template_forecast).
select
    region,
    product_line,
    target_month,
    units
from reports.rpt_sales_template_forecast
where cycle_month = $cycle_month
    and target_month <= cast($cycle_month as date) + to_months(cast($months as integer))
order by all
