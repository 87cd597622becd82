{#- A scenario's changes to the inventory policy per planning cycle x scenario x SKU: the
    service level (service_level adjustments matching the SKU's ABC class, the last one
    winning) and the supplier's extra lead time (supplier adjustments: a supplier's delay
    reaches the SKUs it supplies through the BOM, the largest delay winning; one without a
    supplier or component filter delays every SKU). NULL where the scenario changes nothing:
    base rows are all NULL. -#}
with

classified as (

    select * from {{ ref('int_skus_abc_classified') }}

),

adjustments as (

    select * from {{ ref('stg_scenarios__adjustments') }}
    where adjustment_type in ('service_level', 'supplier')

),

bom as (

    select * from {{ ref('stg_masters__bom_components') }}

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

    select
        classified.cycle_month,
        classified.scenario,
        classified.sku,
        max(adj.lead_time_days) as lead_time_days_added
    from classified
    inner join adjustments as adj
        on classified.scenario = adj.scenario
        and adj.adjustment_type = 'supplier'
        and adj.lead_time_days != 0
    left join supplier_skus
        on classified.sku = supplier_skus.sku
        and {{ scenario_filter_matches('adj', 'supplier_id', 'supplier_skus.supplier_id') }}
        and {{ scenario_filter_matches('adj', 'component_id', 'supplier_skus.component_id') }}
    where (adj.supplier_id is null and adj.component_id is null) or supplier_skus.sku is not null
    group by classified.cycle_month, classified.scenario, classified.sku

),

final as (

    select
        classified.cycle_month,
        classified.scenario,
        classified.sku,
        service_level_changes.service_level_target,
        service_level_changes.service_level_z,
        lead_time_changes.lead_time_days_added
    from classified
    left join service_level_changes
        on classified.cycle_month = service_level_changes.cycle_month
        and classified.scenario = service_level_changes.scenario
        and classified.sku = service_level_changes.sku
    left join lead_time_changes
        on classified.cycle_month = lead_time_changes.cycle_month
        and classified.scenario = lead_time_changes.scenario
        and classified.sku = lead_time_changes.sku

)

select * from final
