with

source as (

    select * from {{ source('sales', 'shipments') }}
    where {{ source_provided('shipments') }}

),

final as (

    select
        trim(shipment_id) as shipment_id,
        trim(order_id) as order_id,
        cast(line_number as integer) as line_number,
        cast(ship_date as date) as ship_date,
        trim(sku) as sku,
        trim(warehouse_id) as warehouse_id,
        cast(shipped_qty as integer) as shipped_qty,
        _source_file,
        _file_hash
    from source

)

select * from final
