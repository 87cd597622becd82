{#- Inventory policy per planning cycle x SKU (stock is planned per SKU over all warehouses).
    ABC class from the SKU's share of trailing net sales; z from the class service level;
    sigma per month from the SKU's P10-P90 band of the first horizon month, (P90 - P10) /
    (2 x 1.2816): the band calibrated per SKU on its own backtest (ml.forecast_levels, level
    sku, written by the middle-out forecast) as a share of its P50, times the SKU's consensus
    units; without it (another forecast method) the consensus series' bands combined over
    regions and channels as independent errors (root of the sum of squares); sigma over the lead time = sigma_month x
    sqrt(lead time days / 30.4375); safety stock = z x sigma_LT; reorder point = mean demand over
    the lead time + safety stock; target stock (the month-end stock the supply plan aims for)
    = safety stock + cycle stock, cycle stock = half a review period of mean demand. A SKU
    discontinued by the end of the cycle month holds no safety stock. -#}
{#- A unit test's source has no schema (its rows are a CTE): no SKU bands there. -#}
{%- set levels_source = source('ml', 'forecast_levels') -%}
{%- set levels_relation = load_relation(levels_source) if levels_source.schema else none -%}
with

consensus as (

    select * from {{ ref('int_scenario_demand') }}

),

demand_history as (

    select * from {{ ref('fct_demand_monthly') }}

),

products as (

    select * from {{ ref('dim_product') }}

),

service_levels as (

    select * from {{ ref('mart_service_level_targets') }}

),

adjustments as (

    select * from {{ ref('stg_scenarios__adjustments') }}
    where adjustment_type in ('service_level', 'supplier')

),

bom as (

    select * from {{ ref('stg_masters__bom_components') }}

),

parameters as (

    select
        {{ parameter_value('review_period_days') }},
        {{ parameter_value('demand_mean_months') }},
        {{ parameter_value('abc_lookback_months') }}
    from {{ ref('planning_parameters') }}

),

cycle_skus as (

    select distinct
        cycle_month,
        scenario,
        sku
    from consensus

),

trailing_sales as (

    select
        cycle_skus.cycle_month,
        cycle_skus.scenario,
        cycle_skus.sku,
        coalesce(sum(demand_history.net_sales), 0) as trailing_net_sales
    from cycle_skus
    cross join parameters
    left join demand_history
        on cycle_skus.sku = demand_history.sku
        and demand_history.month <= cycle_skus.cycle_month
        and demand_history.month > {{ add_months('cycle_skus.cycle_month',
                                                 '-1 * cast(parameters.abc_lookback_months as integer)') }}
    group by cycle_skus.cycle_month, cycle_skus.scenario, cycle_skus.sku

),

ranked as (

    select
        *,
        (
            sum(trailing_net_sales) over (
                partition by cycle_month, scenario order by trailing_net_sales desc, sku asc
                rows between unbounded preceding and current row
            ) - trailing_net_sales
        ) / nullif(sum(trailing_net_sales) over (partition by cycle_month, scenario), 0)
            as cumulative_share_before
    from trailing_sales

),

classified as (

    select
        ranked.cycle_month,
        ranked.scenario,
        ranked.sku,
        ranked.trailing_net_sales,
        coalesce(ranked.cumulative_share_before, 1) as cumulative_share_before,
        coalesce(
            min(service_levels.abc_class),
            (select max(abc_class) from service_levels)  -- noqa: AL04 (the lowest class)
        ) as abc_class
    from ranked
    left join service_levels
        on coalesce(ranked.cumulative_share_before, 1) < service_levels.cumulative_revenue_share_upper
    group by
        ranked.cycle_month, ranked.scenario, ranked.sku, ranked.trailing_net_sales,
        ranked.cumulative_share_before

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

    {% if levels_relation is not none -%}
    select
        cast(cycle_month as date) as cycle_month,
        sku,
        (cast(p90 as double) - cast(p10 as double)) / nullif(cast(p50 as double), 0)
            as band_width_share
    from {{ source('ml', 'forecast_levels') }}
    where level = 'sku' and lag = 1
    {%- else -%}
        {#- ml.forecast_levels is written by the middle-out forecast; without it no SKU bands. -#}
        select
            cast(null as date) as cycle_month,
            cast(null as {{ dbt.type_string() }}) as sku,
            cast(null as double) as band_width_share
        where 1 = 0
    {%- endif %}

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

service_level_changes as (

    select
        classified.cycle_month,
        classified.scenario,
        classified.sku,
        arg_max(adj.service_level_target, adj.adjustment_index) as service_level_target,
        arg_max(adj.service_level_z, adj.adjustment_index) as service_level_z
    from classified
    inner join adjustments as adj
        on classified.scenario = adj.scenario
        and adj.adjustment_type = 'service_level'
        and {{ scenario_filter_matches('adj', 'abc_class', 'classified.abc_class') }}
    group by classified.cycle_month, classified.scenario, classified.sku

),

supplier_skus as (

    select distinct
        sku,
        supplier_id,
        component_id
    from bom

),

lead_time_changes as (

    {#- A supplier's extra lead time delays the SKUs it supplies (their largest delay); one
        without a supplier or component filter delays every SKU. -#}
    select
        cycle_skus.cycle_month,
        cycle_skus.scenario,
        cycle_skus.sku,
        max(adj.lead_time_days) as lead_time_days_added
    from cycle_skus
    inner join adjustments as adj
        on cycle_skus.scenario = adj.scenario
        and adj.adjustment_type = 'supplier'
        and adj.lead_time_days != 0
    left join supplier_skus
        on cycle_skus.sku = supplier_skus.sku
        and {{ scenario_filter_matches('adj', 'supplier_id', 'supplier_skus.supplier_id') }}
        and {{ scenario_filter_matches('adj', 'component_id', 'supplier_skus.component_id') }}
    where (adj.supplier_id is null and adj.component_id is null) or supplier_skus.sku is not null
    group by cycle_skus.cycle_month, cycle_skus.scenario, cycle_skus.sku

),

policy as (

    select
        classified.cycle_month,
        classified.scenario,
        classified.sku,
        products.product_line,
        products.production_line,
        classified.trailing_net_sales,
        classified.cumulative_share_before,
        classified.abc_class,
        coalesce(service_level_changes.service_level_target, service_levels.service_level_target)
            as service_level_target,
        coalesce(service_level_changes.service_level_z, service_levels.service_level_z)
            as service_level_z,
        coalesce(mean_demand.mean_daily_demand, 0) as mean_daily_demand,
        coalesce(first_month_sigma.demand_sigma_month, 0) as demand_sigma_month,
        case
            when lead_time_changes.lead_time_days_added is null
                then products.supplier_lead_time_days
            else greatest(
                    products.supplier_lead_time_days + lead_time_changes.lead_time_days_added, 0
                )
        end as lead_time_days,
        parameters.review_period_days,
        coalesce(products.discontinue_date > {{ month_end('classified.cycle_month') }}, true)
            as is_active
    from classified
    cross join parameters
    inner join service_levels
        on classified.abc_class = service_levels.abc_class
    left join products
        on classified.sku = products.sku
    left join mean_demand
        on classified.cycle_month = mean_demand.cycle_month
        and classified.scenario = mean_demand.scenario
        and classified.sku = mean_demand.sku
    left join first_month_sigma
        on classified.cycle_month = first_month_sigma.cycle_month
        and classified.scenario = first_month_sigma.scenario
        and classified.sku = first_month_sigma.sku
    left join service_level_changes
        on classified.cycle_month = service_level_changes.cycle_month
        and classified.scenario = service_level_changes.scenario
        and classified.sku = service_level_changes.sku
    left join lead_time_changes
        on classified.cycle_month = lead_time_changes.cycle_month
        and classified.scenario = lead_time_changes.scenario
        and classified.sku = lead_time_changes.sku

),

formulas as (

    select
        *,
        case when is_active then demand_sigma_month * sqrt(lead_time_days / 30.4375) else 0 end
            as demand_sigma_lead_time,
        mean_daily_demand * lead_time_days as mean_demand_lead_time,
        mean_daily_demand * review_period_days / 2 as cycle_stock
    from policy

),

final as (

    select
        {{ scenario_surrogate_key(['cycle_month', 'sku']) }} as inventory_policy_id,
        cycle_month,
        scenario,
        sku,
        product_line,
        production_line,
        cast(trailing_net_sales as decimal(18, 2)) as trailing_net_sales,
        cast(cumulative_share_before as double) as cumulative_revenue_share_before,
        abc_class,
        is_active,
        cast(service_level_target as double) as service_level_target,
        cast(service_level_z as double) as service_level_z,
        cast(mean_daily_demand as double) as mean_daily_demand,
        cast(demand_sigma_month as double) as demand_sigma_month,
        cast(lead_time_days as integer) as lead_time_days,
        cast(demand_sigma_lead_time as double) as demand_sigma_lead_time,
        cast(mean_demand_lead_time as double) as mean_demand_lead_time,
        cast(service_level_z * demand_sigma_lead_time as double) as safety_stock_units,
        cast(mean_demand_lead_time + service_level_z * demand_sigma_lead_time as double)
            as reorder_point_units,
        cast(review_period_days as integer) as review_period_days,
        cast(cycle_stock as double) as cycle_stock_units,
        cast(service_level_z * demand_sigma_lead_time + cycle_stock as double) as target_stock_units,
        'safety_stock = z * sigma_month * sqrt(lead_time_days / 30.4375); '
        || 'reorder_point = mean_daily_demand * lead_time_days + safety_stock; '
        || 'target_stock = safety_stock + mean_daily_demand * review_period_days / 2'
            as policy_formula
    from formulas

)

select * from final
