{#- The options of each cycle side by side for the report: mart_scenario_comparison's months and
    totals with the scenario's description and whether it is the cycle's plan of record
    (int_plan_scenario_selected: the latest approval, else base). -#}
with

comparison as (

    select * from {{ ref('mart_scenario_comparison') }}

),

scenarios as (

    select * from {{ ref('dim_scenario') }}

),

selected as (

    select * from {{ ref('int_plan_scenario_selected') }}

),

final as (

    select
        comparison.cycle_month,
        comparison.scenario,
        coalesce(scenarios.description, '') as description,
        comparison.is_base,
        selected.scenario is not null as is_plan,
        comparison.period,
        comparison.month,
        comparison.revenue,
        comparison.revenue_vs_base,
        comparison.gross_margin,
        comparison.gross_margin_vs_base,
        comparison.closing_inventory_value,
        comparison.closing_inventory_value_vs_base,
        comparison.cash_position,
        comparison.cash_position_vs_base,
        comparison.projected_service_level,
        comparison.projected_service_level_vs_base,
        comparison.capacity_shortfall_units,
        comparison.capacity_shortfall_units_vs_base,
        comparison.units_short,
        comparison.units_short_vs_base,
        comparison.budget_gap,
        comparison.budget_gap_vs_base
    from comparison
    left join scenarios
        on comparison.cycle_month = scenarios.cycle_month
        and comparison.scenario = scenarios.scenario
    left join selected
        on comparison.cycle_month = selected.cycle_month
        and comparison.scenario = selected.scenario

)

select * from final
