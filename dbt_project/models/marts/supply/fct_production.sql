{{ config(
    materialized=fact_materialization(),
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ increment_prepare() }}",
    post_hook="{{ increment_record() }}",
    meta={'increment': {
        'date_column': 'production_date',
        'grains': [
            {'model': 'stg_inventory__production_outputs', 'date': 'production_date', 'keys': []},
        ],
        'masters': ['stg_masters__products'],
    }},
) }}
with

production as (

    select * from {{ ref('stg_inventory__production_outputs') }}
    where {{ increment_filter('production_date') }}

),

products as (

    select * from {{ ref('stg_masters__products') }}

),

final as (

    select
        {{ surrogate_key(['production.production_date', 'production.production_line', 'production.sku']) }}
            as production_id,
        production.production_date,
        production.production_line,
        production.sku,
        products.product_line,
        production.produced_qty,
        cast(products.standard_cost as decimal(18, 2)) as standard_cost,
        cast(production.produced_qty * products.standard_cost as decimal(18, 2)) as produced_cost_amount
    from production
    left join products
        on production.sku = products.sku

)

select * from final
