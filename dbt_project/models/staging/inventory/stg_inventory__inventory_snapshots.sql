with

source as (

    select * from {{ source('inventory', 'inventory_snapshots') }}
    where {{ source_provided('inventory_snapshots') }}

),

final as (

    select
        cast(snapshot_date as date) as snapshot_date,
        trim(sku) as sku,
        trim(warehouse_id) as warehouse_id,
        cast(on_hand_qty as integer) as on_hand_qty,
        _source_file,
        _file_hash
    from source

)

select * from final
