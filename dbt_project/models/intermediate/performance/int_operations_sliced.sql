{#- Per reviewed month x product slice of mart_plan_vs_actual (total, product_line, sku; macro
    plan_vs_actual_levels): month-end stock and its value (fct_inventory_monthly) against the
    lag-1 plan of record's safety and target stock, production against planned production
    (mart_supply_plan of the scenario int_plan_scenario_selected picks, fct_production), days
    of supply, and the SKUs whose order lines filled below stockout_fill_rate_below. Only
    months with an inventory snapshot. -#}
{%- set slices = plan_vs_actual_levels() -%}
with

inventory as (

    select * from {{ ref('fct_inventory_monthly') }}

),

plan_months as (

    select * from {{ ref('int_plan_months') }}

),

supply_plan as (

    {#- the plan of record of each cycle (int_plan_scenario_selected), not every scenario -#}
    select plan_rows.*
    from {{ ref('mart_supply_plan') }} as plan_rows
    inner join {{ ref('int_plan_scenario_selected') }} as selected
        on plan_rows.cycle_month = selected.cycle_month
        and plan_rows.scenario = selected.scenario

),

production as (

    select * from {{ ref('fct_production') }}

),

demand as (

    select * from {{ ref('fct_demand_monthly') }}

),

cells as (

    select * from {{ ref('int_plan_vs_actual_cells') }}

),

parameters as (

    select {{ parameter_value('stockout_fill_rate_below') }}
    from {{ ref('performance_parameters') }}

),

sku_operations as (

    select
        inventory.month,
        inventory.sku,
        inventory.product_line,
        inventory.closing_on_hand_qty as on_hand_units,
        inventory.closing_inventory_value as inventory_value,
        supply_plan.planned_production_units,
        supply_plan.safety_stock_units,
        supply_plan.target_stock_units,
        coalesce(produced.produced_units, 0) as produced_units,
        coalesce(daily_demand.ordered_units_per_day, 0) as ordered_units_per_day
    from inventory
    inner join plan_months
        on inventory.month = plan_months.month
    left join supply_plan
        on plan_months.cycle_month = supply_plan.cycle_month
        and inventory.sku = supply_plan.sku
        and inventory.month = supply_plan.month
    left join (
        select
            sku,
            {{ month_start('production_date') }} as month,
            sum(produced_qty) as produced_units
        from production
        group by sku, {{ month_start('production_date') }}
    ) as produced
        on inventory.sku = produced.sku
        and inventory.month = produced.month
    left join (
        select
            sku,
            month,
            sum(ordered_units_per_day) as ordered_units_per_day
        from demand
        group by sku, month
    ) as daily_demand
        on inventory.sku = daily_demand.sku
        and inventory.month = daily_demand.month

),

sku_fill as (

    select
        month,
        sku,
        sum(ordered_units) as ordered_units,
        sum(filled_units) as filled_units
    from cells
    group by month, sku

),

final as (

    {% for level in slices.product_levels %}
        {%- set level_dimensions = slices.levels[level] %}
        select
            '{{ level }}' as level,
            {% if level_dimensions %}sku_operations.{{ level_dimensions[0] }}{% else %}'Total'{% endif %} as subject,
            sku_operations.month,
            sum(sku_operations.on_hand_units) as on_hand_units,
            sum(sku_operations.inventory_value) as inventory_value,
            sum(sku_operations.safety_stock_units) as safety_stock_units,
            sum(sku_operations.target_stock_units) as target_stock_units,
            sum(sku_operations.planned_production_units) as planned_production_units,
            sum(sku_operations.produced_units) as produced_units,
            sum(abs(sku_operations.produced_units - sku_operations.planned_production_units))
                as production_deviation_units,
            sum(sku_operations.on_hand_units) / nullif(sum(sku_operations.ordered_units_per_day), 0)
                as days_of_supply,
            sum(case when sku_fill.filled_units
                    < parameters.stockout_fill_rate_below * sku_fill.ordered_units
                    then 1
                else 0
            end) as stockout_sku_count
        from sku_operations
        cross join parameters
        left join sku_fill
            on sku_operations.month = sku_fill.month
            and sku_operations.sku = sku_fill.sku
        group by
            {% for dimension in level_dimensions %}sku_operations.{{ dimension }}, {% endfor -%}
            sku_operations.month
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from final
