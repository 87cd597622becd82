{#- The plan marts summed per cycle x scenario x month: the numbers the scenario comparison
    sets side by side. Each measure comes from the mart that defines it, at P50 demand; a mart
    the company lacks the sources for is empty, so its measures are NULL here, never 0.
    Until the plan marts carry the scenario key every row is the base plan. -#}
with

financial_plan as (

    select * from {{ ref('mart_financial_plan') }}

),

cash_flow_plan as (

    select * from {{ ref('mart_cash_flow_plan') }}

),

supply_plan as (

    select * from {{ ref('mart_supply_plan') }}

),

capacity_plan as (

    select * from {{ ref('mart_capacity_plan') }}

),

budget_gap as (

    select * from {{ ref('mart_budget_gap') }}

),

finance as (

    select
        cycle_month,
        scenario,
        month,
        sum(revenue_p50) as revenue,
        sum(gross_margin_p50) as gross_margin,
        sum(closing_inventory_value_at_p50_demand) as closing_inventory_value
    from financial_plan
    group by cycle_month, scenario, month

),

cash as (

    select
        cycle_month,
        scenario,
        month,
        sum(cumulative_net_cash_flow_p50) as cash_position
    from cash_flow_plan
    where is_horizon_month
    group by cycle_month, scenario, month

),

sku_backlog as (

    select
        cycle_month,
        scenario,
        sku,
        month,
        consensus_demand_units,
        projected_backlog_units,
        greatest(
            projected_backlog_units - coalesce(lag(projected_backlog_units) over (
                partition by cycle_month, scenario, sku order by month
            ), 0),
            0
        ) as new_backlog_units
    from supply_plan

),

supply as (

    select
        cycle_month,
        scenario,
        month,
        sum(consensus_demand_units) as demand_units,
        sum(new_backlog_units) as unserved_units,
        sum(projected_backlog_units) as units_short
    from sku_backlog
    group by cycle_month, scenario, month

),

capacity as (

    select
        cycle_month,
        scenario,
        month,
        sum(shortfall_units) as capacity_shortfall_units
    from capacity_plan
    where has_capacity_plan
    group by cycle_month, scenario, month

),

budget as (

    select
        cycle_month,
        scenario,
        month,
        sum(revenue_gap_p50) as budget_gap
    from budget_gap
    group by cycle_month, scenario, month

),

final as (

    select
        finance.cycle_month,
        finance.scenario,
        finance.month,
        finance.revenue,
        finance.gross_margin,
        finance.closing_inventory_value,
        cash.cash_position,
        supply.demand_units,
        supply.unserved_units,
        supply.units_short,
        capacity.capacity_shortfall_units,
        budget.budget_gap
    from finance
    left join cash
        on finance.cycle_month = cash.cycle_month
        and finance.scenario = cash.scenario
        and finance.month = cash.month
    left join supply
        on finance.cycle_month = supply.cycle_month
        and finance.scenario = supply.scenario
        and finance.month = supply.month
    left join capacity
        on finance.cycle_month = capacity.cycle_month
        and finance.scenario = capacity.scenario
        and finance.month = capacity.month
    left join budget
        on finance.cycle_month = budget.cycle_month
        and finance.scenario = budget.scenario
        and finance.month = budget.month

)

select * from final
