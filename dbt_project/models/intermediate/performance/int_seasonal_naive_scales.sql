{#- The MASE scale of every series at every planning cycle scored: the in-sample seasonal-naive
    MAE, the mean of |A(t) - A(t - mase_season_length)| over the mase_window_months months up to
    the cycle month (seed performance_parameters; data known at the cycle; months before a
    series' first order count as zero demand). One row per cycle x sku x region x channel with
    demand in the window; a series without one has no scale (left out of MASE, not of WAPE).
    Read by int_forecast_errors. -#}
with

demand as (

    select * from {{ ref('fct_demand_monthly') }}

),

scored_cycles as (

    select distinct cycle_month
    from {{ ref('int_forecast_actual_cells') }}

),

parameters as (

    select
        {{ parameter_value('mase_season_length', alias='season_length') }},
        {{ parameter_value('mase_window_months', alias='window_months') }}
    from {{ ref('performance_parameters') }}

),

final as (

    select
        scored_cycles.cycle_month,
        demand.sku,
        demand.region,
        demand.channel,
        avg(abs(demand.ordered_units - coalesce(same_month_before.ordered_units, 0)))
            as seasonal_naive_mae
    from scored_cycles
    cross join parameters
    inner join demand
        on demand.month <= scored_cycles.cycle_month
        and demand.month > {{ add_months('scored_cycles.cycle_month',
                                         '-1 * cast(parameters.window_months as integer)') }}
    left join demand as same_month_before
        on demand.sku = same_month_before.sku
        and demand.region = same_month_before.region
        and demand.channel = same_month_before.channel
        and same_month_before.month = {{ add_months('demand.month',
                                                    '-1 * cast(parameters.season_length as integer)') }}
    group by scored_cycles.cycle_month, demand.sku, demand.region, demand.channel

)

select * from final
