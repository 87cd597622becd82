{#- Purchased components per planning cycle x component x supplier x production month: the
    planned production (mart_supply_plan) exploded through the bill of materials. Components
    are needed on the first day of the production month; order_by_date = need date - supplier
    lead time; payment_date = need date (receipt) + supplier payment terms. An order whose
    order-by date is on or before the cycle month's end must be placed now or is already late.
    Empty unless capability procurement_plan has its sources (dbt_project.yml vars). -#}
with

supply_plan as (

    select * from {{ ref('mart_supply_plan') }}

),

bom as (

    select * from {{ ref('stg_masters__bom_components') }}

),

exploded as (

    select
        supply_plan.cycle_month,
        bom.component_id,
        bom.component_name,
        bom.supplier_id,
        supply_plan.month as production_month,
        supply_plan.sku,
        supply_plan.planned_production_units * bom.qty_per_unit as required_qty,
        supply_plan.planned_production_units * bom.qty_per_unit * bom.component_cost
            as component_cost_amount,
        bom.component_cost,
        bom.supplier_lead_time_days,
        bom.supplier_payment_terms_days
    from supply_plan
    inner join bom
        on supply_plan.sku = bom.sku
    where supply_plan.planned_production_units > 0

),

grouped as (

    select
        cycle_month,
        component_id,
        component_name,
        supplier_id,
        production_month,
        supplier_lead_time_days,
        supplier_payment_terms_days,
        count(distinct sku) as sku_count,
        sum(required_qty) as required_qty,
        sum(component_cost_amount) as component_cost_amount
    from exploded
    group by cycle_month, component_id, component_name, supplier_id, production_month,
        supplier_lead_time_days, supplier_payment_terms_days

),

final as (

    select
        {{ surrogate_key(['cycle_month', 'component_id', 'supplier_id', 'production_month',
                          'supplier_lead_time_days', 'supplier_payment_terms_days']) }}
            as procurement_plan_id,
        cycle_month,
        component_id,
        component_name,
        supplier_id,
        production_month,
        cast(sku_count as integer) as sku_count,
        cast(required_qty as double) as required_qty,
        cast(component_cost_amount / nullif(required_qty, 0) as double) as unit_cost,
        cast(component_cost_amount as double) as component_cost_amount,
        cast(supplier_lead_time_days as integer) as supplier_lead_time_days,
        production_month as need_date,
        {{ add_days('production_month', '-1 * supplier_lead_time_days') }} as order_by_date,
        cast(supplier_payment_terms_days as integer) as supplier_payment_terms_days,
        {{ add_days('production_month', 'supplier_payment_terms_days') }} as payment_date,
        {{ month_start(add_days('production_month', 'supplier_payment_terms_days')) }}
            as payment_month,
        {{ add_days('production_month', '-1 * supplier_lead_time_days') }}
            <= {{ month_end('cycle_month') }} as is_order_due_now
    from grouped
    where {{ capability_available('procurement_plan') }}

)

select * from final
