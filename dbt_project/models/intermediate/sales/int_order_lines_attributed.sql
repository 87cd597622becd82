{#- Order lines with their ship-to region and channel (the customer's when the line has none),
    the customer's tier and the product line: what an order line is booked under, without its
    fulfilment. Demand (fct_demand_monthly) reads this, so a full rebuild of the demand panel
    does not sum every shipment per line; int_order_lines_enriched adds the fulfilment. -#}
with

order_lines as (

    select * from {{ ref('stg_sales__order_lines') }}

),

customers as (

    select * from {{ ref('stg_masters__customers') }}

),

products as (

    select * from {{ ref('stg_masters__products') }}

),

final as (

    select
        {{ surrogate_key(['order_lines.order_id', 'order_lines.line_number']) }} as order_line_id,
        order_lines.order_id,
        order_lines.line_number,
        order_lines.order_date,
        {{ month_start('order_lines.order_date') }} as order_month,
        order_lines.requested_date,
        order_lines.customer_id,
        coalesce(order_lines.region, customers.region) as region,
        coalesce(order_lines.channel, customers.channel) as channel,
        customers.tier,
        order_lines.sku,
        products.product_line,
        order_lines.ordered_qty,
        order_lines.list_price,
        order_lines.discount_pct,
        order_lines.net_price
    from order_lines
    left join customers
        on order_lines.customer_id = customers.customer_id
    left join products
        on order_lines.sku = products.sku

)

select * from final
