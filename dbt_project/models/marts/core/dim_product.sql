with

products as (

    select * from {{ ref('stg_masters__products') }}

),

bom_components as (

    select * from {{ ref('stg_masters__bom_components') }}

),

components_per_sku as (

    select
        sku,
        count(*) as component_count,
        sum(qty_per_unit * component_cost) as component_cost_per_unit
    from bom_components
    group by sku

),

final as (

    select
        products.sku,
        products.product_name,
        products.product_line,
        products.brand,
        products.production_line,
        cast(products.list_price as decimal(18, 2)) as list_price,
        cast(products.standard_cost as decimal(18, 2)) as standard_cost,
        products.launch_date,
        products.discontinue_date,
        products.discontinue_date is not null as is_discontinued,
        products.supplier_lead_time_days,
        cast(coalesce(components_per_sku.component_count, 0) as integer) as component_count,
        cast(coalesce(components_per_sku.component_cost_per_unit, 0) as decimal(18, 4))
            as component_cost_per_unit
    from products
    left join components_per_sku
        on products.sku = components_per_sku.sku

)

select * from final
