{#- What left the warehouse, one row per shipment line, at the prices of its order line.
    Revenue amounts are defined once, in fct_revenue_lines. -#}
with

shipments as (

    select * from {{ ref('int_shipments_priced') }}

),

final as (

    select
        shipment_id,
        order_line_id,
        order_id,
        line_number,
        ship_date,
        order_date,
        customer_id,
        region,
        channel,
        sku,
        product_line,
        warehouse_id,
        shipped_qty,
        cast(list_price as decimal(18, 2)) as list_price,
        cast(net_price as decimal(18, 2)) as net_price,
        cast(standard_cost as decimal(18, 2)) as standard_cost
    from shipments

)

select * from final
