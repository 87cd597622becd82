with

source as (

    select * from {{ source('sales', 'order_lines') }}

),

final as (

    select
        trim(order_id) as order_id,
        cast(line_number as integer) as line_number,
        cast(order_date as date) as order_date,
        cast(requested_date as date) as requested_date,
        trim(customer_id) as customer_id,
        trim(sku) as sku,
        cast(ordered_qty as integer) as ordered_qty,
        cast(list_price as decimal(18, 2)) as list_price,
        cast(discount_pct as decimal(6, 4)) as discount_pct,
        cast(net_price as decimal(18, 2)) as net_price,
        nullif(trim(region), '') as region,
        nullif(lower(trim(channel)), '') as channel,
        _source_file,
        _file_hash
    from source

)

select * from final
