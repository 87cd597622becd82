{{ config(
    materialized=fact_materialization(),
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ increment_prepare() }}",
    post_hook="{{ increment_record() }}",
    meta={'increment': {
        'date_column': 'snapshot_date',
        'grains': [
            {'model': 'stg_inventory__inventory_snapshots', 'date': 'snapshot_date', 'keys': []},
        ],
        'masters': ['stg_masters__products'],
    }},
) }}
with

inventory as (

    select * from {{ ref('int_inventory_valued') }}
    where {{ increment_filter('snapshot_date') }}

),

final as (

    select
        {{ surrogate_key(['snapshot_date', 'sku', 'warehouse_id']) }} as inventory_snapshot_id,
        snapshot_date,
        sku,
        product_line,
        warehouse_id,
        on_hand_qty,
        cast(standard_cost as decimal(18, 2)) as standard_cost,
        cast(inventory_value as decimal(18, 2)) as inventory_value
    from inventory

)

select * from final
