{#- The financial plan per planning cycle x month x product line x region, at P10, P50 and P90
    of consensus demand: the flexible budget range. P50 units are the consensus forecast summed
    over SKUs and channels. Revenue = units x expected net price (mart_expected_net_prices) per
    sku x region x channel; COGS = units x standard cost; gross margin = revenue - COGS.
    The P10/P90 range is the product line x region band of the statistical forecast, calibrated
    at that level on its own backtest (ml.forecast_levels), as ratios P10/P50 and P90/P50 applied
    to the consensus units, revenue and COGS (the mix inside the cell held at P50's): adding the
    series' quantiles, as before, assumed every series misses together and gave a range wider
    than the cell's errors. A cycle without level bands (a forecast method other than middle-out)
    keeps the added-up series' range; range_source says which. (DuckDB's least/greatest skip
    NULLs, hence the explicit case.) Closing inventory value is the
    supply plan's projected SKU stock (production fixed at the plan) when demand comes in at
    P10 / P50 / P90, at standard cost, floored at zero, and spread over regions by each region's
    share of the SKU's demand that month: low demand leaves more stock, so the value at P10
    demand is the highest. Without a supply plan (capability supply_plan) the closing inventory
    value is NULL: unknown, not zero. Per scenario (int_scenario_demand): its units, and its net
    price changes (expected net price x price_multiplier). -#}
{#- A unit test's source has no schema (its rows are a CTE): no level bands there. -#}
{%- set levels_source = source('ml', 'forecast_levels') -%}
{%- set levels_relation = load_relation(levels_source) if levels_source.schema else none -%}
with

consensus as (

    select * from {{ ref('int_scenario_demand') }}

),

prices as (

    select * from {{ ref('mart_expected_net_prices') }}

),

supply_plan as (

    select * from {{ ref('mart_supply_plan') }}

),

level_bands as (

    {% if levels_relation is not none -%}
    select
        cast(cycle_month as date) as cycle_month,
        cast(target_month as date) as month,
        product_line,
        region,
        cast(p10 as double) / nullif(cast(p50 as double), 0) as p10_ratio,
        cast(p90 as double) / nullif(cast(p50 as double), 0) as p90_ratio
    from {{ source('ml', 'forecast_levels') }}
    where level = 'product_line_region'
    {%- else -%}
        {#- ml.forecast_levels is written by the middle-out forecast; without it no level bands. -#}
        select
            cast(null as date) as cycle_month,
            cast(null as date) as month,
            cast(null as {{ dbt.type_string() }}) as product_line,
            cast(null as {{ dbt.type_string() }}) as region,
            cast(null as double) as p10_ratio,
            cast(null as double) as p90_ratio
        where 1 = 0
    {%- endif %}

),

series_plan as (

    select
        consensus.cycle_month,
        consensus.scenario,
        consensus.target_month as month,
        consensus.sku,
        prices.product_line,
        consensus.region,
        consensus.channel,
        consensus.lag_months,
        consensus.consensus_p10_units as units_p10,
        consensus.consensus_units as units_p50,
        consensus.consensus_p90_units as units_p90,
        prices.expected_net_price * consensus.price_multiplier as expected_net_price,
        prices.standard_cost
    from consensus
    inner join prices
        on consensus.cycle_month = prices.cycle_month
        and consensus.sku = prices.sku
        and consensus.region = prices.region
        and consensus.channel = prices.channel

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

inventory_value as (

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

),

line_region_plan as (

    select
        cycle_month,
        scenario,
        month,
        product_line,
        region,
        min(lag_months) as lag_months,
        sum(units_p10) as units_p10,
        sum(units_p50) as units_p50,
        sum(units_p90) as units_p90,
        sum(units_p10 * expected_net_price) as revenue_p10,
        sum(units_p50 * expected_net_price) as revenue_p50,
        sum(units_p90 * expected_net_price) as revenue_p90,
        sum(units_p10 * standard_cost) as cogs_p10,
        sum(units_p50 * standard_cost) as cogs_p50,
        sum(units_p90 * standard_cost) as cogs_p90
    from series_plan
    group by cycle_month, scenario, month, product_line, region

),

ranged_plan as (

    select
        line_region_plan.cycle_month,
        line_region_plan.scenario,
        line_region_plan.month,
        line_region_plan.product_line,
        line_region_plan.region,
        line_region_plan.lag_months,
        case when level_bands.p10_ratio is not null then 'level_band' else 'sum_of_series' end
            as range_source,
        case
            when level_bands.p10_ratio is not null
                then line_region_plan.units_p50 * least(level_bands.p10_ratio, 1)
            else line_region_plan.units_p10
        end as units_p10,
        line_region_plan.units_p50,
        case
            when level_bands.p90_ratio is not null
                then line_region_plan.units_p50 * greatest(level_bands.p90_ratio, 1)
            else line_region_plan.units_p90
        end as units_p90,
        case
            when level_bands.p10_ratio is not null
                then line_region_plan.revenue_p50 * least(level_bands.p10_ratio, 1)
            else line_region_plan.revenue_p10
        end as revenue_p10,
        line_region_plan.revenue_p50,
        case
            when level_bands.p90_ratio is not null
                then line_region_plan.revenue_p50 * greatest(level_bands.p90_ratio, 1)
            else line_region_plan.revenue_p90
        end as revenue_p90,
        case
            when level_bands.p10_ratio is not null
                then line_region_plan.cogs_p50 * least(level_bands.p10_ratio, 1)
            else line_region_plan.cogs_p10
        end as cogs_p10,
        line_region_plan.cogs_p50,
        case
            when level_bands.p90_ratio is not null
                then line_region_plan.cogs_p50 * greatest(level_bands.p90_ratio, 1)
            else line_region_plan.cogs_p90
        end as cogs_p90
    from line_region_plan
    left join level_bands
        on line_region_plan.cycle_month = level_bands.cycle_month
        and line_region_plan.month = level_bands.month
        and line_region_plan.product_line = level_bands.product_line
        and line_region_plan.region = level_bands.region

),

final as (

    select
        {{ scenario_surrogate_key(['plan.cycle_month', 'plan.month', 'plan.product_line',
                                   'plan.region'], scenario='plan.scenario') }}
            as financial_plan_id,
        plan.cycle_month,
        plan.scenario,
        plan.month,
        plan.product_line,
        plan.region,
        cast(plan.lag_months as integer) as lag_months,
        plan.range_source,
        cast(plan.units_p10 as double) as units_p10,
        cast(plan.units_p50 as double) as units_p50,
        cast(plan.units_p90 as double) as units_p90,
        cast(plan.revenue_p10 as double) as revenue_p10,
        cast(plan.revenue_p50 as double) as revenue_p50,
        cast(plan.revenue_p90 as double) as revenue_p90,
        cast(plan.cogs_p10 as double) as cogs_p10,
        cast(plan.cogs_p50 as double) as cogs_p50,
        cast(plan.cogs_p90 as double) as cogs_p90,
        cast(plan.revenue_p10 - plan.cogs_p10 as double) as gross_margin_p10,
        cast(plan.revenue_p50 - plan.cogs_p50 as double) as gross_margin_p50,
        cast(plan.revenue_p90 - plan.cogs_p90 as double) as gross_margin_p90,
        {% if capability_available('supply_plan') -%}
            cast(coalesce(inventory_value.inventory_value_p10, 0) as double)
        {%- else -%}
        cast(null as double)
        {%- endif %}
            as closing_inventory_value_at_p10_demand,
        {% if capability_available('supply_plan') -%}
            cast(coalesce(inventory_value.inventory_value_p50, 0) as double)
        {%- else -%}
        cast(null as double)
        {%- endif %}
            as closing_inventory_value_at_p50_demand,
        {% if capability_available('supply_plan') -%}
            cast(coalesce(inventory_value.inventory_value_p90, 0) as double)
        {%- else -%}
        cast(null as double)
        {%- endif %}
            as closing_inventory_value_at_p90_demand
    from ranged_plan as plan
    left join inventory_value
        on plan.cycle_month = inventory_value.cycle_month
        and plan.scenario = inventory_value.scenario
        and plan.month = inventory_value.month
        and plan.product_line = inventory_value.product_line
        and plan.region = inventory_value.region

)

select * from final
