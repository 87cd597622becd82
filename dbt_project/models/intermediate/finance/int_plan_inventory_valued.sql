{#- Closing inventory value per planning cycle x scenario x month x product line x region
    when demand comes in at P10 / P50 / P90: the supply plan's projected SKU stock (production
    fixed at the plan, mart_supply_plan) moved by the cumulative demand above or below P50,
    floored at zero, at standard cost, spread over regions by each region's share of the SKU's
    P50 demand that month (evenly when the SKU has no P50 demand). Low demand leaves more stock,
    so the value at P10 demand is the highest. No rows without a supply plan. -#}
with

series_plan as (

    select * from {{ ref('int_plan_series_priced') }}

),

supply_plan as (

    select * from {{ ref('mart_supply_plan') }}

),

sku_region_units as (

    select
        cycle_month,
        scenario,
        month,
        sku,
        product_line,
        region,
        sum(units_p50) as units_p50,
        count(*) as series_count
    from series_plan
    group by cycle_month, scenario, month, sku, product_line, region

),

sku_stock as (

    select
        cycle_month,
        scenario,
        sku,
        month,
        closing_stock_units,
        sum(consensus_demand_units) over sku_months as cumulative_units_p50
    from supply_plan
    window sku_months as (
        partition by cycle_month, scenario, sku order by month
        rows between unbounded preceding and current row
    )

),

sku_demand_range as (

    select
        cycle_month,
        scenario,
        sku,
        month,
        sum(sum(units_p10)) over sku_months as cumulative_units_p10,
        sum(sum(units_p90)) over sku_months as cumulative_units_p90
    from series_plan
    group by cycle_month, scenario, sku, month
    window sku_months as (
        partition by cycle_month, scenario, sku order by month
        rows between unbounded preceding and current row
    )

),

region_inventory as (

    select
        sku_region_units.cycle_month,
        sku_region_units.scenario,
        sku_region_units.month,
        sku_region_units.product_line,
        sku_region_units.region,
        coalesce(
            sku_region_units.units_p50 / nullif(sum(sku_region_units.units_p50) over sku_month, 0),
            1.0 / count(*) over sku_month
        ) * max(series_plan_cost.standard_cost) over sku_month as region_cost_share,
        sku_stock.closing_stock_units
        + sku_stock.cumulative_units_p50 - sku_demand_range.cumulative_units_p10
            as closing_units_at_p10,
        sku_stock.closing_stock_units as closing_units_at_p50,
        sku_stock.closing_stock_units
        + sku_stock.cumulative_units_p50 - sku_demand_range.cumulative_units_p90
            as closing_units_at_p90
    from sku_region_units
    inner join sku_stock
        on sku_region_units.cycle_month = sku_stock.cycle_month
        and sku_region_units.scenario = sku_stock.scenario
        and sku_region_units.sku = sku_stock.sku
        and sku_region_units.month = sku_stock.month
    inner join sku_demand_range
        on sku_region_units.cycle_month = sku_demand_range.cycle_month
        and sku_region_units.scenario = sku_demand_range.scenario
        and sku_region_units.sku = sku_demand_range.sku
        and sku_region_units.month = sku_demand_range.month
    inner join (
        select distinct
            cycle_month,
            sku,
            standard_cost
        from series_plan
    ) as series_plan_cost
        on sku_region_units.cycle_month = series_plan_cost.cycle_month
        and sku_region_units.sku = series_plan_cost.sku
    window sku_month as (
        partition by
            sku_region_units.cycle_month, sku_region_units.scenario, sku_region_units.sku,
            sku_region_units.month
    )

),

final as (

    select
        cycle_month,
        scenario,
        month,
        product_line,
        region,
        sum(greatest(closing_units_at_p10, 0) * region_cost_share) as inventory_value_p10,
        sum(greatest(closing_units_at_p50, 0) * region_cost_share) as inventory_value_p50,
        sum(greatest(closing_units_at_p90, 0) * region_cost_share) as inventory_value_p90
    from region_inventory
    group by cycle_month, scenario, month, product_line, region

)

select * from final
