-- RetrospectiveInputs.forecast_vs_actual: actual demand and the lag-1 forecasts by product line,
-- up to $month (reports.rpt_forecast_vs_actual; the report charts the last months of it).
select *
from reports.rpt_forecast_vs_actual
where month <= $month
order by month, product_line
