{#- Capacity plan per planning cycle x production line x horizon month: units required by the
    unconstrained plan, available capacity (fct_capacity; a month without a capacity plan has
    none), units planned after building ahead, and what cannot be made. Utilisation = planned /
    available; load = required / available (above 1 the month needs more than it can make).
    Empty unless capability supply_plan has its sources (dbt_project.yml vars). -#}
with

supply_plan as (

    select * from {{ ref('mart_supply_plan') }}

),

capacity as (

    select * from {{ ref('int_scenario_capacity') }}

),

line_months as (

    select
        cycle_month,
        scenario,
        production_line,
        month,
        min(lag_months) as lag_months,
        sum(required_production_units) as required_units,
        sum(planned_production_units) as planned_units,
        sum(built_ahead_units) as built_ahead_units,
        sum(shortfall_units) as shortfall_units,
        sum(revenue_at_risk) as revenue_at_risk
    from supply_plan
    group by cycle_month, scenario, production_line, month

),

cumulated as (

    select
        line_months.*,
        capacity.month is not null as has_capacity_plan,
        coalesce(capacity.available_units, 0) as available_units,
        sum(line_months.required_units) over (
            partition by line_months.cycle_month, line_months.scenario, line_months.production_line
            order by line_months.month rows between unbounded preceding and current row
        ) as cumulative_required_units,
        sum(coalesce(capacity.available_units, 0)) over (
            partition by line_months.cycle_month, line_months.scenario, line_months.production_line
            order by line_months.month rows between unbounded preceding and current row
        ) as cumulative_available_units
    from line_months
    left join capacity
        on line_months.cycle_month = capacity.cycle_month
        and line_months.scenario = capacity.scenario
        and line_months.production_line = capacity.production_line
        and line_months.month = capacity.month

),

final as (

    select
        {{ scenario_surrogate_key(['cycle_month', 'production_line', 'month']) }}
            as capacity_plan_id,
        cycle_month,
        scenario,
        production_line,
        month,
        lag_months,
        has_capacity_plan,
        cast(required_units as double) as required_units,
        cast(available_units as double) as available_units,
        cast(planned_units as double) as planned_units,
        cast(built_ahead_units as double) as built_ahead_units,
        cast(shortfall_units as double) as shortfall_units,
        cast(cumulative_required_units as double) as cumulative_required_units,
        cast(cumulative_available_units as double) as cumulative_available_units,
        cast(planned_units / nullif(available_units, 0) as double) as utilisation,
        cast(required_units / nullif(available_units, 0) as double) as required_load,
        cast(revenue_at_risk as double) as revenue_at_risk
    from cumulated
    where {{ capability_available('supply_plan') }}

)

select * from final
