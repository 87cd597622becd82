{#- The supply plan of record: the rows of mart_supply_plan of each cycle's selected scenario
    (int_plan_scenario_selected), not every what-if scenario. Read by int_alert_stockout_firings
    and int_alert_evaluated_months (mart_alerts); meant for mart_plan_vs_actual too. -#}
with

supply_plan as (

    select * from {{ ref('mart_supply_plan') }}

),

selected as (

    select * from {{ ref('int_plan_scenario_selected') }}

),

final as (

    select
        supply_plan.supply_plan_id,
        supply_plan.cycle_month,
        supply_plan.scenario,
        supply_plan.sku,
        supply_plan.product_line,
        supply_plan.production_line,
        supply_plan.abc_class,
        supply_plan.month,
        supply_plan.lag_months,
        supply_plan.opening_stock_units,
        supply_plan.consensus_demand_units,
        supply_plan.required_production_units,
        supply_plan.planned_production_units,
        supply_plan.built_ahead_units,
        supply_plan.shortfall_units,
        supply_plan.closing_stock_units,
        supply_plan.safety_stock_units,
        supply_plan.target_stock_units,
        supply_plan.days_of_supply,
        supply_plan.is_below_safety_stock,
        supply_plan.projected_backlog_units,
        supply_plan.expected_net_price,
        supply_plan.revenue_at_risk
    from supply_plan
    inner join selected
        on supply_plan.cycle_month = selected.cycle_month
        and supply_plan.scenario = selected.scenario

)

select * from final
