{#- Stock on hand valued at the product's standard cost. -#}
with

snapshots as (

    select * from {{ ref('stg_inventory__inventory_snapshots') }}

),

products as (

    select * from {{ ref('stg_masters__products') }}

),

final as (

    select
        snapshots.snapshot_date,
        snapshots.sku,
        products.product_line,
        snapshots.warehouse_id,
        snapshots.on_hand_qty,
        products.standard_cost,
        snapshots.on_hand_qty * products.standard_cost as inventory_value
    from snapshots
    left join products
        on snapshots.sku = products.sku

)

select * from final
