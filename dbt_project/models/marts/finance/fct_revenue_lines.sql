{#- The revenue ledger: the one place where gross sales, discounts, returns, net revenue, COGS
    and gross margin are computed. One row per revenue event: a shipment line (revenue
    recognised on the ship date, at the order line's prices) or a return (credit on the return
    date, standard cost put back into stock). net_revenue = gross_sales - discounts - returns;
    gross_margin = net_revenue - cogs. -#}
{{ config(
    materialized=fact_materialization(),
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ increment_prepare() }}",
    post_hook="{{ increment_record() }}",
    meta={'increment': {
        'date_column': 'revenue_date',
        'grains': [
            {'model': 'stg_sales__shipments', 'date': 'ship_date', 'keys': ['order_id', 'line_number'],
             'coupled': [{'model': 'stg_sales__order_lines', 'keys': ['order_id', 'line_number']}]},
            {'model': 'stg_sales__returns', 'date': 'return_date', 'keys': ['order_id', 'line_number'],
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

returns as (

    select * from {{ ref('int_returns_enriched') }}
    where {{ increment_filter('return_date') }}

),

shipment_revenue as (

    select
        {{ dbt.concat(["'SHP-'", 'shipment_id']) }} as revenue_line_id,
        'shipment' as revenue_event_type,
        ship_date as revenue_date,
        order_line_id,
        customer_id,
        region,
        channel,
        sku,
        product_line,
        shipped_qty,
        0 as returned_qty,
        shipped_qty * list_price as gross_sales_amount,
        shipped_qty * (list_price - net_price) as discount_amount,
        0 as returns_amount,
        shipped_qty * standard_cost as cogs_amount
    from shipments

),

return_credits as (

    select
        {{ dbt.concat(["'RET-'", 'return_id']) }} as revenue_line_id,
        'return' as revenue_event_type,
        return_date as revenue_date,
        order_line_id,
        customer_id,
        region,
        channel,
        sku,
        product_line,
        0 as shipped_qty,
        returned_qty,
        0 as gross_sales_amount,
        0 as discount_amount,
        credit_amount as returns_amount,
        -1 * returned_qty * standard_cost as cogs_amount
    from returns

),

unioned as (

    select * from shipment_revenue
    union all
    select * from return_credits

),

amounts as (

    select
        revenue_line_id,
        revenue_event_type,
        revenue_date,
        order_line_id,
        customer_id,
        region,
        channel,
        sku,
        product_line,
        cast(shipped_qty as integer) as shipped_qty,
        cast(returned_qty as integer) as returned_qty,
        cast(gross_sales_amount as decimal(18, 2)) as gross_sales_amount,
        cast(discount_amount as decimal(18, 2)) as discount_amount,
        cast(returns_amount as decimal(18, 2)) as returns_amount,
        cast(gross_sales_amount - discount_amount - returns_amount as decimal(18, 2))
            as net_revenue_amount,
        cast(cogs_amount as decimal(18, 2)) as cogs_amount
    from unioned

),

final as (

    select
        *,
        cast(net_revenue_amount - cogs_amount as decimal(18, 2)) as gross_margin_amount
    from amounts

)

select * from final
