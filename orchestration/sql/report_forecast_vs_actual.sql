-- RetrospectiveInputs.forecast_vs_actual: actual demand and the lag-1 forecasts of each month by
-- product line, for the 18 months up to $month.
select
    target_month as month,
    subject as product_line,
    max(actual_units) as actual_units,
    sum(case when method = 'naive' then forecast_units end) as naive_units,
    sum(case when method = 'statistical' then forecast_units end) as statistical_units,
    sum(case when method = 'consensus' then forecast_units end) as consensus_units
from marts.mart_forecast_accuracy
where level = 'product_line'
    and lag_months = 1
    and target_month <= $month
    and target_month > cast($month as date) - interval 18 month
group by target_month, subject
order by month, product_line
