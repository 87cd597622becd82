{#- SKUs whose order lines of the month were capped by a stock-out (filled below the
    stockout_fill_rate_below share of ordered units), with the units ordered but not shipped. -#}
with

plan_vs_actual as (

    select * from {{ ref('mart_plan_vs_actual') }}
    where level = 'sku' and stockout_sku_count > 0

),

products as (

    select * from {{ ref('dim_product') }}

),

final as (

    select
        plan_vs_actual.month,
        plan_vs_actual.sku,
        products.product_line,
        plan_vs_actual.ordered_units,
        plan_vs_actual.filled_units as shipped_units,
        plan_vs_actual.ordered_units - plan_vs_actual.filled_units as unfilled_units
    from plan_vs_actual
    left join products
        on plan_vs_actual.sku = products.sku

)

select * from final
