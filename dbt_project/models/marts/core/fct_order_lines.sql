{#- Demand: what customers asked for and when, one row per order line, with how much of
    it has shipped (fill) and whether it shipped on time and in full. -#}
{{ config(
    materialized=fact_materialization(),
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ increment_prepare() }}",
    post_hook="{{ increment_record() }}",
    meta={'increment': {
        'date_column': 'order_date',
        'grains': [
            {'model': 'stg_sales__order_lines', 'date': 'order_date', 'keys': ['order_id', 'line_number'],
             'coupled': [{'model': 'stg_sales__shipments', 'keys': ['order_id', 'line_number']}]},
        ],
        'masters': ['stg_masters__customers', 'stg_masters__products'],
    }},
) }}
with

order_lines as (

    select * from {{ ref('int_order_lines_enriched') }}
    where {{ increment_filter('order_date') }}

),

final as (

    select
        order_line_id,
        order_id,
        line_number,
        order_date,
        requested_date,
        customer_id,
        region,
        channel,
        tier,
        sku,
        product_line,
        ordered_qty,
        cast(list_price as decimal(18, 2)) as list_price,
        cast(discount_pct as decimal(6, 4)) as discount_pct,
        cast(net_price as decimal(18, 2)) as net_price,
        cast(ordered_qty * list_price as decimal(18, 2)) as ordered_gross_amount,
        cast(ordered_qty * net_price as decimal(18, 2)) as ordered_net_amount,
        cast(shipped_qty as integer) as shipped_qty,
        cast(filled_qty as integer) as filled_qty,
        cast(shipment_count as integer) as shipment_count,
        first_ship_date,
        last_ship_date,
        is_fully_shipped,
        is_on_time_in_full
    from order_lines

)

select * from final
