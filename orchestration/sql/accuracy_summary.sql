-- Lag-1 accuracy at sku x region over every cycle whose target month is complete:
-- WAPE of the seasonal-naive, statistical and consensus forecasts against ordered units.
with actuals as (
    select sku, region, month, sum(ordered_units) as actual_units
    from marts.fct_demand_monthly
    where is_complete_month
    group by all
),

forecasts as (
    select cycle_month, sku, region, target_month,
           sum(naive_units) as naive_units, sum(statistical_units) as statistical_units,
           sum(consensus_units) as consensus_units
    from marts.fct_consensus_forecast
    where lag_months = 1
    group by all
),

paired as (
    select forecasts.*, coalesce(actuals.actual_units, 0) as actual_units
    from forecasts
    left join actuals
        on forecasts.sku = actuals.sku and forecasts.region = actuals.region
        and forecasts.target_month = actuals.month
    where forecasts.target_month <= (select max(month) from actuals)
)

select
    count(distinct cycle_month) as cycles,
    sum(abs(naive_units - actual_units)) / sum(actual_units) as naive_wape,
    sum(abs(statistical_units - actual_units)) / sum(actual_units) as statistical_wape,
    sum(abs(consensus_units - actual_units)) / sum(actual_units) as consensus_wape
from paired
