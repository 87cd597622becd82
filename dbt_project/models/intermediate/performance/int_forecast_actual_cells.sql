{#- Every forecast cell of a planning cycle at lags 1..accuracy_max_lag_months (seed
    performance_parameters) paired with its actual ordered units, at the forecasting grain (cycle x
    lag x sku x region x channel x target month), for the complete target months only. A series
    forecast but not ordered counts actual 0; a series ordered but not forecast counts forecast 0
    (the naive, statistical and consensus units side by side; P10/P90 where the forecast has them).
    Read by int_forecast_errors. -#}
with

forecasts as (

    select * from {{ ref('fct_consensus_forecast') }}

),

demand as (

    select * from {{ ref('fct_demand_monthly') }}

),

parameters as (

    select {{ parameter_value('accuracy_max_lag_months', alias='max_lag') }}
    from {{ ref('performance_parameters') }}

),

complete_months as (

    select distinct month
    from demand
    where is_complete_month

),

cycle_targets as (

    select distinct
        cycle_month,
        lag_months,
        target_month
    from forecasts
    cross join parameters
    where lag_months between 1 and parameters.max_lag

),

forecast_cells as (

    select
        cycle_month,
        lag_months,
        target_month,
        sku,
        region,
        channel,
        naive_units,
        statistical_units,
        consensus_units,
        statistical_p10_units,
        statistical_p90_units,
        consensus_p10_units,
        consensus_p90_units
    from forecasts
    cross join parameters
    where lag_months between 1 and parameters.max_lag

),

actual_cells as (

    select
        cycle_targets.cycle_month,
        cycle_targets.lag_months,
        cycle_targets.target_month,
        demand.sku,
        demand.region,
        demand.channel,
        demand.ordered_units as actual_units
    from cycle_targets
    inner join demand
        on demand.month = cycle_targets.target_month

),

cells as (

    select
        coalesce(forecast_cells.cycle_month, actual_cells.cycle_month) as cycle_month,
        coalesce(forecast_cells.lag_months, actual_cells.lag_months) as lag_months,
        coalesce(forecast_cells.target_month, actual_cells.target_month) as target_month,
        coalesce(forecast_cells.sku, actual_cells.sku) as sku,
        coalesce(forecast_cells.region, actual_cells.region) as region,
        coalesce(forecast_cells.channel, actual_cells.channel) as channel,
        coalesce(forecast_cells.naive_units, 0) as naive_units,
        coalesce(forecast_cells.statistical_units, 0) as statistical_units,
        coalesce(forecast_cells.consensus_units, 0) as consensus_units,
        cast(null as double) as naive_p10_units,
        cast(null as double) as naive_p90_units,
        forecast_cells.statistical_p10_units,
        forecast_cells.statistical_p90_units,
        forecast_cells.consensus_p10_units,
        forecast_cells.consensus_p90_units,
        coalesce(actual_cells.actual_units, 0) as actual_units
    from forecast_cells
    full outer join actual_cells
        on forecast_cells.cycle_month = actual_cells.cycle_month
        and forecast_cells.lag_months = actual_cells.lag_months
        and forecast_cells.sku = actual_cells.sku
        and forecast_cells.region = actual_cells.region
        and forecast_cells.channel = actual_cells.channel

),

final as (

    select cells.*
    from cells
    inner join complete_months
        on cells.target_month = complete_months.month

)

select * from final
