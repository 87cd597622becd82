-- RetrospectiveInputs.forecast_accuracy: total-level WAPE and bias by target month, lag and method.
select
    target_month,
    lag_months as lag,
    method,
    wape,
    bias,
    mase,
    fva_wape
from marts.mart_forecast_accuracy
where level = 'total'
    and target_month <= $month
order by target_month, lag, method
