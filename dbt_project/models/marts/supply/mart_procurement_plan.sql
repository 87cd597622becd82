{#- Purchased components per planning cycle x component x supplier x production month: the
    planned production (mart_supply_plan) exploded through the bill of materials. Components
    are needed on the first day of the production month; order_by_date = need date - supplier
    lead time; payment_date = need date (receipt) + supplier payment terms. An order whose
    order-by date is on or before the cycle month's end must be placed now or is already late.
    A scenario's supplier adjustments (matching supplier and component; none given: all) add
    their lead_time_days to the supplier's lead time and scale the component cost by
    (1 + cost_change_pct), every matching one applied.
    Empty unless capability procurement_plan has its sources (dbt_project.yml vars). -#}
with

supply_plan as (

    select * from {{ ref('mart_supply_plan') }}

),

bom as (

    select * from {{ ref('stg_masters__bom_components') }}

),

adjustments as (

    select * from {{ ref('stg_scenarios__adjustments') }}
    where adjustment_type = 'supplier'

),

scenario_bom as (

    select
        scenarios.scenario,
        bom.sku,
        bom.component_id,
        bom.component_name,
        bom.supplier_id,
        bom.qty_per_unit,
        bom.supplier_payment_terms_days,
        case
            when count(adj.scenario) = 0 then bom.component_cost
            else bom.component_cost * product(1 + adj.cost_change_pct)
        end as component_cost,
        greatest(bom.supplier_lead_time_days + coalesce(sum(adj.lead_time_days), 0), 0)
            as supplier_lead_time_days
    from bom
    cross join (select distinct scenario from supply_plan) as scenarios
    left join adjustments as adj
        on scenarios.scenario = adj.scenario
        and {{ scenario_filter_matches('adj', 'supplier_id', 'bom.supplier_id') }}
        and {{ scenario_filter_matches('adj', 'component_id', 'bom.component_id') }}
    group by
        scenarios.scenario, bom.sku, bom.component_id, bom.component_name, bom.supplier_id,
        bom.qty_per_unit, bom.supplier_payment_terms_days, bom.component_cost,
        bom.supplier_lead_time_days

),

exploded as (

    select
        supply_plan.cycle_month,
        supply_plan.scenario,
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
    inner join scenario_bom as bom
        on supply_plan.scenario = bom.scenario
        and supply_plan.sku = bom.sku
    where supply_plan.planned_production_units > 0

),

grouped as (

    select
        cycle_month,
        scenario,
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
    group by
        cycle_month, scenario, component_id, component_name, supplier_id, production_month,
        supplier_lead_time_days, supplier_payment_terms_days

),

final as (

    select
        {{ scenario_surrogate_key(['cycle_month', 'component_id', 'supplier_id', 'production_month',
                                   'supplier_lead_time_days', 'supplier_payment_terms_days']) }}
            as procurement_plan_id,
        cycle_month,
        scenario,
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
