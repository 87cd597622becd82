{#- Shipment lines valued at the prices of the order line they ship against, with the
    region and channel that order line is booked under (int_order_lines_attributed: ship-to,
    else the customer's) and the product's standard cost. A shipment whose order line was
    quarantined keeps its order_line_id but has no customer or prices until the line is
    re-delivered. Not int_order_lines_enriched: that one sums every shipment per line, which
    a month's shipments do not need (the daily build of fct_shipments reads only the
    affected months). -#}
with

shipments as (

    select * from {{ ref('stg_sales__shipments') }}

),

order_lines as (

    select * from {{ ref('int_order_lines_attributed') }}

),

products as (

    select * from {{ ref('stg_masters__products') }}

),

final as (

    select
        shipments.shipment_id,
        {{ surrogate_key(['shipments.order_id', 'shipments.line_number']) }} as order_line_id,
        shipments.order_id,
        shipments.line_number,
        shipments.ship_date,
        order_lines.order_date,
        order_lines.customer_id,
        order_lines.region,
        order_lines.channel,
        shipments.sku,
        products.product_line,
        shipments.warehouse_id,
        shipments.shipped_qty,
        order_lines.list_price,
        order_lines.net_price,
        products.standard_cost
    from shipments
    left join order_lines
        on shipments.order_id = order_lines.order_id
        and shipments.line_number = order_lines.line_number
    left join products
        on shipments.sku = products.sku

)

select * from final
