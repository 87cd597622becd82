-- RetrospectiveInputs.forecast_accuracy: total-level accuracy by target month, lag and method,
-- up to $month (reports.rpt_forecast_accuracy).
select *
from reports.rpt_forecast_accuracy
where target_month <= $month
order by target_month, lag_months, method
