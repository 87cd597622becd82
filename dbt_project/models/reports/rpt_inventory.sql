{#- Month-end stock against target by product line (months with a stock count only: without
    inventory snapshots there are none). -#}
with

plan_vs_actual as (

    select * from {{ ref('mart_plan_vs_actual') }}
    where level = 'product_line' and on_hand_units is not null

),

final as (

    select
        month,
        subject as product_line,
        on_hand_units,
        safety_stock_units,
        target_stock_units,
        days_of_supply,
        inventory_value,
        stockout_sku_count
    from plan_vs_actual

)

select * from final
