-- RetrospectiveInputs.forecast_value_added: accuracy of each method and the forecast value
-- added of each step by lag, over the 12 target months ending with $month
-- (reports.rpt_forecast_value_added).
select *
from reports.rpt_forecast_value_added
where report_month = $month
order by lag_months
