with

inventory as (

    select * from {{ ref('int_inventory_valued') }}

),

final as (

    select
        {{ surrogate_key(['snapshot_date', 'sku', 'warehouse_id']) }} as inventory_snapshot_id,
        snapshot_date,
        sku,
        product_line,
        warehouse_id,
        on_hand_qty,
        cast(standard_cost as decimal(18, 2)) as standard_cost,
        cast(inventory_value as decimal(18, 2)) as inventory_value
    from inventory

)

select * from final
