{#- Fill by order month: the order lines booked in a month (fct_order_lines, by order date) summed
    per sku x region x channel x customer tier. The one place the fill of the metric
    fill_rate_units (filled units / ordered units; filled_qty capped at the line's ordered
    quantity, a line with no shipment counts 0) and of otif_rate (on-time-in-full lines / order
    lines) is summed from order lines in SQL: a fill rate of any slice is
    sum(filled_units) / sum(ordered_units) of its rows. Read by int_service_kpis_monthly
    (mart_kpis_monthly) and int_order_cells (mart_plan_vs_actual). Without shipments
    filled_units is NULL: the readers gate on the source. -#}
with

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

final as (

    select
        {{ month_start('order_date') }} as month,
        sku,
        region,
        channel,
        tier as customer_tier,
        sum(ordered_qty) as ordered_units,
        sum(filled_qty) as filled_units,
        count(*) as order_line_count,
        sum(case when is_on_time_in_full then 1 else 0 end) as on_time_in_full_lines
    from order_lines
    group by {{ month_start('order_date') }}, sku, region, channel, tier

)

select * from final
