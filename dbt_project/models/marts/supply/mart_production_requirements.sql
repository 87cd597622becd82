{#- Unconstrained net production requirement per planning cycle x SKU x horizon month: what
    must be made each month to meet consensus demand and end every month at the target stock,
    if capacity were unlimited. Opening stock is the SKU's on-hand at the latest count up to the
    cycle month's end (summed over warehouses). With a constant target,
    cumulative requirement(t) = max(0, cumulative demand(t) + target stock - opening stock),
    and the month's requirement is its increase over the previous month. The capacity-constrained
    plan (mart_production_allocation) starts from these.
    Empty unless capability inventory has its sources (dbt_project.yml vars). -#}
with

consensus as (

    select * from {{ ref('int_scenario_demand') }}

),

policy as (

    select * from {{ ref('mart_inventory_policy') }}

),

snapshots as (

    select * from {{ ref('fct_inventory_snapshots') }}

),

sku_demand as (

    select
        cycle_month,
        scenario,
        sku,
        target_month as month,
        min(lag_months) as lag_months,
        sum(consensus_units) as consensus_units,
        sum(consensus_p10_units) as consensus_p10_units,
        sum(consensus_p90_units) as consensus_p90_units
    from consensus
    group by cycle_month, scenario, sku, target_month

),

latest_counts as (

    select
        policy.cycle_month,
        policy.scenario,
        snapshots.sku,
        snapshots.warehouse_id,
        max(snapshots.snapshot_date) as snapshot_date
    from policy
    inner join snapshots
        on policy.sku = snapshots.sku
        and snapshots.snapshot_date <= {{ month_end('policy.cycle_month') }}
    group by policy.cycle_month, policy.scenario, snapshots.sku, snapshots.warehouse_id

),

opening_stock as (

    select
        latest_counts.cycle_month,
        latest_counts.scenario,
        latest_counts.sku,
        sum(snapshots.on_hand_qty) as opening_stock_units,
        max(latest_counts.snapshot_date) as opening_snapshot_date
    from latest_counts
    inner join snapshots
        on latest_counts.sku = snapshots.sku
        and latest_counts.warehouse_id = snapshots.warehouse_id
        and latest_counts.snapshot_date = snapshots.snapshot_date
    group by latest_counts.cycle_month, latest_counts.scenario, latest_counts.sku

),

cumulated as (

    select
        sku_demand.*,
        policy.production_line,
        policy.safety_stock_units,
        policy.target_stock_units,
        coalesce(opening_stock.opening_stock_units, 0) as opening_stock_units,
        opening_stock.opening_snapshot_date,
        sum(sku_demand.consensus_units) over (
            partition by sku_demand.cycle_month, sku_demand.scenario, sku_demand.sku
            order by sku_demand.month
            rows between unbounded preceding and current row
        ) as cumulative_demand_units
    from sku_demand
    inner join policy
        on sku_demand.cycle_month = policy.cycle_month
        and sku_demand.scenario = policy.scenario
        and sku_demand.sku = policy.sku
    left join opening_stock
        on sku_demand.cycle_month = opening_stock.cycle_month
        and sku_demand.scenario = opening_stock.scenario
        and sku_demand.sku = opening_stock.sku

),

required as (

    select
        *,
        greatest(cumulative_demand_units + target_stock_units - opening_stock_units, 0)
            as cumulative_required_units
    from cumulated

),

final as (

    select
        {{ scenario_surrogate_key(['cycle_month', 'sku', 'month']) }}
            as production_requirement_id,
        cycle_month,
        scenario,
        sku,
        production_line,
        month,
        cast(lag_months as integer) as lag_months,
        cast(opening_stock_units as double) as cycle_opening_stock_units,
        opening_snapshot_date,
        cast(consensus_units as double) as consensus_units,
        cast(consensus_p10_units as double) as consensus_p10_units,
        cast(consensus_p90_units as double) as consensus_p90_units,
        cast(safety_stock_units as double) as safety_stock_units,
        cast(target_stock_units as double) as target_stock_units,
        cast(cumulative_demand_units as double) as cumulative_demand_units,
        cast(cumulative_required_units as double) as cumulative_required_units,
        cast(
            cumulative_required_units - coalesce(lag(cumulative_required_units) over (
                partition by cycle_month, scenario, sku order by month
            ), 0) as double
        ) as required_units
    from required
    where {{ capability_available('inventory') }}

)

select * from final
