{#- Goods customers sent back, one row per return, credited at the original net price. -#}
{{ config(
    materialized=fact_materialization(),
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ increment_prepare() }}",
    post_hook="{{ increment_record() }}",
    meta={'increment': {
        'date_column': 'return_date',
        'grains': [
            {'model': 'stg_sales__returns', 'date': 'return_date', 'keys': ['order_id', 'line_number'],
             'coupled': [{'model': 'stg_sales__order_lines', 'keys': ['order_id', 'line_number']}]},
        ],
        'masters': ['stg_masters__customers', 'stg_masters__products'],
    }},
) }}
with

returns as (

    select * from {{ ref('int_returns_enriched') }}
    where {{ increment_filter('return_date') }}

),

final as (

    select
        return_id,
        order_line_id,
        order_id,
        line_number,
        return_date,
        customer_id,
        region,
        channel,
        sku,
        product_line,
        returned_qty,
        cast(credit_amount as decimal(18, 2)) as credit_amount,
        cast(standard_cost as decimal(18, 2)) as standard_cost,
        return_reason
    from returns

)

select * from final
