{#- Monthly unconstrained demand per sku x region x channel: what the forecaster reads.
    Dense panel (zero months included) from each series' first order to the last month with
    data. Region and channel are the order line's (ship-to), else the customer's. gross_sales / net_sales here are
    booked order value (ordered units at list / net price), not recognised revenue. -#}
with

demand as (

    select * from {{ ref('int_demand_monthly') }}

),

final as (

    select
        {{ surrogate_key(['sku', 'region', 'channel', 'month']) }} as demand_month_id,
        sku,
        product_line,
        region,
        channel,
        month,
        cast(ordered_units as bigint) as ordered_units,
        cast(shipped_units as bigint) as shipped_units,
        cast(ordered_lines as bigint) as ordered_lines,
        cast(gross_sales as decimal(18, 2)) as gross_sales,
        cast(net_sales as decimal(18, 2)) as net_sales,
        cast(avg_list_price as decimal(18, 2)) as avg_list_price,
        cast(avg_discount_pct as decimal(6, 4)) as avg_discount_pct,
        cast(promo_depth as decimal(6, 4)) as promo_depth,
        is_complete_month,
        cast(days_observed as integer) as days_observed,
        cast(ordered_units_per_day as double) as ordered_units_per_day
    from demand

)

select * from final
