{#- The service KPIs of mart_kpis_monthly, one row per month x KPI, from the fill of the order
    lines booked in the month (int_order_fill_monthly):
      fill_rate (metric fill_rate_units) and otif (metric otif_rate), when shipments are sent;
      stockout_rate: share of the SKUs ordered in the month whose order lines filled below
        stockout_fill_rate_below (seed performance_parameters) - the SKUs mart_plan_vs_actual
        counts in stockout_sku_count - when shipments and inventory snapshots are sent (a short
        fill is called a stock-out only where stock is counted). -#}
with

order_fill as (

    select * from {{ ref('int_order_fill_monthly') }}

),

parameters as (

    select {{ parameter_value('stockout_fill_rate_below') }}
    from {{ ref('performance_parameters') }}

),

order_kpis as (

    select
        month,
        sum(filled_units) * 1.0 / nullif(sum(ordered_units), 0) as fill_rate,
        sum(on_time_in_full_lines) * 1.0 / sum(order_line_count) as otif
    from order_fill
    where {{ source_provided('shipments') }}
    group by month

),

sku_fill as (

    select
        month,
        sku,
        sum(filled_units) * 1.0 / nullif(sum(ordered_units), 0) as fill_rate
    from order_fill
    where {{ source_provided(['shipments', 'inventory_snapshots']) }}
    group by month, sku

),

stockout_kpis as (

    select
        sku_fill.month,
        sum(case when sku_fill.fill_rate < parameters.stockout_fill_rate_below then 1 else 0 end)
        * 1.0 / count(*) as stockout_rate
    from sku_fill
    cross join parameters
    where sku_fill.fill_rate is not null
    group by sku_fill.month

),

final as (

    select
        month,
        'fill_rate' as kpi,
        fill_rate as value
    from order_kpis
    union all
    select
        month,
        'otif',
        otif
    from order_kpis
    union all
    select
        month,
        'stockout_rate',
        stockout_rate
    from stockout_kpis

)

select * from final
