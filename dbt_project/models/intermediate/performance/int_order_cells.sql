{#- The orders of plan vs actual, per reviewed month x cell (sku x region x channel x tier): units
    ordered on the order lines booked in the month and the units of those lines filled so far
    (fct_order_lines; metrics ordered_units, filled_units). -#}
with

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

plan_months as (

    select * from {{ ref('int_plan_months') }}

),

final as (

    select
        plan_months.month,
        order_lines.sku,
        order_lines.region,
        order_lines.channel,
        order_lines.tier as customer_tier,
        sum(order_lines.ordered_qty) as ordered_units,
        sum(order_lines.filled_qty) as filled_units
    from order_lines
    inner join plan_months
        on {{ month_start('order_lines.order_date') }} = plan_months.month
    group by
        plan_months.month, order_lines.sku, order_lines.region, order_lines.channel,
        order_lines.tier

)

select * from final
