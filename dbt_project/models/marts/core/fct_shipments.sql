{#- What left the warehouse, one row per shipment line, at the prices of its order line.
    Revenue amounts are defined once, in fct_revenue_lines. -#}
{{ config(
    materialized=fact_materialization(),
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ increment_prepare() }}",
    post_hook="{{ increment_record() }}",
    meta={'increment': {
        'date_column': 'ship_date',
        'grains': [
            {'model': 'stg_sales__shipments', 'date': 'ship_date', 'keys': ['order_id', 'line_number'],
             'coupled': [{'model': 'stg_sales__order_lines', 'keys': ['order_id', 'line_number']}]},
        ],
        'masters': ['stg_masters__customers', 'stg_masters__products'],
    }},
) }}
with

shipments as (

    select * from {{ ref('int_shipments_priced') }}
    where {{ increment_filter('ship_date') }}

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
