{#- Order lines as booked (int_order_lines_attributed) with how much of each line has shipped
    so far (partial shipments summed). A company that sends no shipments gets NULL shipped /
    filled / on-time columns: unknown, not zero. The shipments are summed per order line
    after joining them to it, and joined back on its order date too: a filter on order dates
    (fct_order_lines' daily increment) then reaches the shipments, so a month's lines sum
    their own shipments, not every shipment ever made. -#}
with

order_lines as (

    select * from {{ ref('int_order_lines_attributed') }}

),

shipments as (

    select * from {{ ref('stg_sales__shipments') }}

),

shipped_per_line as (

    select
        order_lines.order_id,
        order_lines.line_number,
        order_lines.order_date,
        sum(shipments.shipped_qty) as shipped_qty,
        count(*) as shipment_count,
        min(shipments.ship_date) as first_ship_date,
        max(shipments.ship_date) as last_ship_date
    from order_lines
    inner join shipments
        on order_lines.order_id = shipments.order_id
        and order_lines.line_number = shipments.line_number
    group by order_lines.order_id, order_lines.line_number, order_lines.order_date

),

enriched as (

    select
        order_lines.order_line_id,
        order_lines.order_id,
        order_lines.line_number,
        order_lines.order_date,
        order_lines.order_month,
        order_lines.requested_date,
        order_lines.customer_id,
        order_lines.region,
        order_lines.channel,
        order_lines.tier,
        order_lines.sku,
        order_lines.product_line,
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
    left join shipped_per_line
        on order_lines.order_id = shipped_per_line.order_id
        and order_lines.line_number = shipped_per_line.line_number
        and order_lines.order_date = shipped_per_line.order_date

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
