{#- The orders of plan vs actual, per reviewed month x cell (sku x region x channel x tier): the
    order fill of the reviewed months (int_order_fill_monthly, the one place order lines' fill
    is summed; filled units NULL without shipments). -#}
with

order_fill as (

    select * from {{ ref('int_order_fill_monthly') }}

),

plan_months as (

    select * from {{ ref('int_plan_months') }}

),

final as (

    select
        order_fill.month,
        order_fill.sku,
        order_fill.region,
        order_fill.channel,
        order_fill.customer_tier,
        order_fill.ordered_units,
        order_fill.filled_units
    from order_fill
    inner join plan_months
        on order_fill.month = plan_months.month

)

select * from final
