{#- The consensus demand the inventory policy sizes stock for, per planning cycle x scenario x
    SKU (over all regions and channels): mean daily demand over the first demand_mean_months
    horizon months, and sigma per month from the SKU's P10-P90 band of the first horizon
    month, (P90 - P10) / (2 x 1.2816). The band is the SKU's own, calibrated on its backtest
    (int_forecast_level_bands, level sku) as a share of its P50, times the SKU's consensus
    units; without it (another forecast method) the consensus series' bands combined over
    regions and channels as independent errors (root of the sum of squares). NULL where the
    SKU has no month in the window (mean) or no first horizon month (sigma). -#}
with

consensus as (

    select * from {{ ref('int_scenario_demand') }}

),

level_bands as (

    select * from {{ ref('int_forecast_level_bands') }}

),

parameters as (

    select {{ parameter_value('demand_mean_months') }}
    from {{ ref('planning_parameters') }}

),

cycle_skus as (

    select distinct
        cycle_month,
        scenario,
        sku
    from consensus

),

series_sigma as (

    select
        cycle_month,
        scenario,
        sku,
        sum(consensus_units) as consensus_units,
        sqrt(sum(power((consensus_p90_units - consensus_p10_units) / (2 * 1.2815515655446004), 2)))
            as demand_sigma_month
    from consensus
    where lag_months = 1
    group by cycle_month, scenario, sku

),

sku_bands as (

    select
        cycle_month,
        sku,
        (p90 - p10) / nullif(p50, 0) as band_width_share
    from level_bands
    where level = 'sku' and lag_months = 1

),

first_month_sigma as (

    select
        series_sigma.cycle_month,
        series_sigma.scenario,
        series_sigma.sku,
        case
            when sku_bands.band_width_share is not null
                then series_sigma.consensus_units * sku_bands.band_width_share
                    / (2 * 1.2815515655446004)
            else series_sigma.demand_sigma_month
        end as demand_sigma_month
    from series_sigma
    left join sku_bands
        on series_sigma.cycle_month = sku_bands.cycle_month
        and series_sigma.sku = sku_bands.sku

),

sku_months as (

    select
        cycle_month,
        scenario,
        sku,
        target_month,
        lag_months,
        sum(consensus_units) as consensus_units
    from consensus
    group by cycle_month, scenario, sku, target_month, lag_months

),

mean_demand as (

    select
        sku_months.cycle_month,
        sku_months.scenario,
        sku_months.sku,
        sum(sku_months.consensus_units)
        / sum({{ days_in_month('sku_months.target_month') }}) as mean_daily_demand
    from sku_months
    cross join parameters
    where sku_months.lag_months <= parameters.demand_mean_months
    group by sku_months.cycle_month, sku_months.scenario, sku_months.sku

),

final as (

    select
        cycle_skus.cycle_month,
        cycle_skus.scenario,
        cycle_skus.sku,
        mean_demand.mean_daily_demand,
        first_month_sigma.demand_sigma_month
    from cycle_skus
    left join mean_demand
        on cycle_skus.cycle_month = mean_demand.cycle_month
        and cycle_skus.scenario = mean_demand.scenario
        and cycle_skus.sku = mean_demand.sku
    left join first_month_sigma
        on cycle_skus.cycle_month = first_month_sigma.cycle_month
        and cycle_skus.scenario = first_month_sigma.scenario
        and cycle_skus.sku = first_month_sigma.sku

)

select * from final
