{#- Order lines with their ship-to region and channel (the customer's when the line has none),
    the customer's tier, the product line and cost, and how much of each line has shipped so
    far (partial shipments summed). A company that sends no shipments gets NULL shipped /
    filled / on-time columns: unknown, not zero. -#}
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

shipments as (

    select * from {{ ref('stg_sales__shipments') }}

),

shipped_per_line as (

    select
        order_id,
        line_number,
        sum(shipped_qty) as shipped_qty,
        count(*) as shipment_count,
        min(ship_date) as first_ship_date,
        max(ship_date) as last_ship_date
    from shipments
    group by order_id, line_number

),

enriched as (

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
        order_lines.net_price,
        {% if source_provided('shipments') -%}
            coalesce(shipped_per_line.shipped_qty, 0) as shipped_qty,
            coalesce(shipped_per_line.shipment_count, 0) as shipment_count,
        {%- else -%}
        cast(null as bigint) as shipped_qty,
        cast(null as bigint) as shipment_count,
        {%- endif %}
        shipped_per_line.first_ship_date,
        shipped_per_line.last_ship_date
    from order_lines
    left join customers
        on order_lines.customer_id = customers.customer_id
    left join products
        on order_lines.sku = products.sku
    left join shipped_per_line
        on order_lines.order_id = shipped_per_line.order_id
        and order_lines.line_number = shipped_per_line.line_number

),

final as (

    select
        *,
        case
            when shipped_qty > ordered_qty then ordered_qty
            else shipped_qty
        end as filled_qty,
        shipped_qty >= ordered_qty as is_fully_shipped,
        case
            when shipped_qty is not null
                then shipped_qty >= ordered_qty
                    and coalesce(last_ship_date <= requested_date, false)
        end as is_on_time_in_full
    from enriched

)

select * from final
