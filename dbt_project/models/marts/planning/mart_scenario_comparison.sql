{#- The options of a cycle side by side: per cycle x scenario x plan month, plus one total row
    per cycle x scenario (period 'total', month NULL), each measure as its value and as the
    difference from the cycle's base plan (*_vs_base). Measures come summed from the plan marts
    (int_scenario_plan_monthly); a measure whose source the company lacks is NULL, never 0.
    Total row: flows are summed over the horizon (revenue, gross margin, capacity shortfall,
    budget gap: NULL without budget months); stocks are the last plan month's (closing
    inventory value, cash position, units short); projected service is recomputed over the
    horizon (1 - unserved / demand). -#}
{%- set measures = [
    'revenue', 'gross_margin', 'closing_inventory_value', 'cash_position',
    'projected_service_level', 'capacity_shortfall_units', 'units_short', 'budget_gap',
] -%}
with

monthly as (

    select * from {{ ref('int_scenario_plan_monthly') }}

),

months as (

    select
        cycle_month,
        scenario,
        'month' as period,
        month,
        revenue,
        gross_margin,
        closing_inventory_value,
        cash_position,
        1 - unserved_units / nullif(demand_units, 0) as projected_service_level,
        capacity_shortfall_units,
        units_short,
        budget_gap
    from monthly

),

last_months as (

    select
        cycle_month,
        scenario,
        max(month) as month
    from monthly
    group by cycle_month, scenario

),

totals as (

    select
        monthly.cycle_month,
        monthly.scenario,
        'total' as period,
        cast(null as date) as month,
        sum(monthly.revenue) as revenue,
        sum(monthly.gross_margin) as gross_margin,
        max(case when monthly.month = last_months.month
                then monthly.closing_inventory_value
        end) as closing_inventory_value,
        max(case when monthly.month = last_months.month
                then monthly.cash_position
        end) as cash_position,
        1 - sum(monthly.unserved_units) / nullif(sum(monthly.demand_units), 0)
            as projected_service_level,
        sum(monthly.capacity_shortfall_units) as capacity_shortfall_units,
        max(case when monthly.month = last_months.month
                then monthly.units_short
        end) as units_short,
        sum(monthly.budget_gap) as budget_gap
    from monthly
    inner join last_months
        on monthly.cycle_month = last_months.cycle_month
        and monthly.scenario = last_months.scenario
    group by monthly.cycle_month, monthly.scenario

),

periods as (

    select * from months
    union all
    select * from totals

),

base as (

    select * from periods
    where scenario = 'base'

),

final as (

    select
        {{ surrogate_key(['periods.cycle_month', 'periods.scenario', 'periods.period',
                          'periods.month']) }} as scenario_comparison_id,
        periods.cycle_month,
        periods.scenario,
        periods.scenario = 'base' as is_base,
        periods.period,
        periods.month,
        {% for measure in measures -%}
            {%- set kind = 'double' if measure in ('projected_service_level', 'capacity_shortfall_units', 'units_short') else 'decimal(18, 2)' -%}
            cast(
                {% if kind != 'double' %}
                    round(periods.{{ measure }}, 2)
                {% else %}
                    periods.{{ measure }}{% endif %} as {{ kind }}
            )
                as {{ measure }},
            cast(
                {% if kind != 'double' %}
                    round(periods.{{ measure }}, 2) - round(base.{{ measure }}, 2)
                {% else %}
                    periods.{{ measure }} - base.{{ measure }}{% endif %} as {{ kind }}
            )
                as {{ measure }}_vs_base{% if not loop.last %},{% endif %}
        {% endfor %}
    from periods
    left join base
        on periods.cycle_month = base.cycle_month
        and periods.period = base.period
        and periods.month is not distinct from base.month

)

select * from final
