{#- The financial plan per planning cycle x month x product line x region, at P10, P50 and P90
    of consensus demand: the flexible budget range. P50 units are the consensus forecast summed
    over SKUs and channels. Revenue = units x expected net price (mart_expected_net_prices) per
    sku x region x channel (int_plan_series_priced); COGS = units x standard cost; gross margin
    = revenue - COGS. The P10/P90 range is the product line x region band of the statistical
    forecast, calibrated at that level on its own backtest (int_forecast_level_bands), as ratios
    P10/P50 and P90/P50 applied to the consensus units, revenue and COGS (the mix inside the cell
    held at P50's, macro level_banded): adding the series' quantiles, as before, assumed every
    series misses together and gave a range wider than the cell's errors. A cycle without level
    bands (a forecast method other than middle-out) keeps the added-up series' range;
    range_source says which. Closing inventory value (int_plan_inventory_valued) is the supply
    plan's projected SKU stock (production fixed at the plan) when demand comes in at P10 / P50
    / P90, at standard cost, floored at zero, and spread over regions by each region's share of
    the SKU's demand that month: low demand leaves more stock, so the value at P10 demand is the
    highest. Without a supply plan (capability supply_plan) the closing inventory value is NULL:
    unknown, not zero. Per scenario (int_scenario_demand): its units, and its net price changes
    (expected net price x price_multiplier). -#}
{%- set measures = ['units', 'revenue', 'cogs'] -%}
{%- set has_supply_plan = capability_available('supply_plan') -%}
with

series_plan as (

    select * from {{ ref('int_plan_series_priced') }}

),

level_bands as (

    select
        cycle_month,
        month,
        product_line,
        region,
        p10 / nullif(p50, 0) as p10_ratio,
        p90 / nullif(p50, 0) as p90_ratio
    from {{ ref('int_forecast_level_bands') }}
    where level = 'product_line_region'

),

inventory_value as (

    select * from {{ ref('int_plan_inventory_valued') }}

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
        {% for measure in measures -%}
            {{ level_banded('line_region_plan', 'level_bands', measure, 'p10') }} as {{ measure }}_p10,
            line_region_plan.{{ measure }}_p50,
            {{ level_banded('line_region_plan', 'level_bands', measure, 'p90') }} as {{ measure }}_p90,
        {% endfor -%}
        line_region_plan.lag_months,
        case when level_bands.p10_ratio is not null then 'level_band' else 'sum_of_series' end
            as range_source
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
        cast(case when {{ has_supply_plan }} then coalesce(inventory.inventory_value_p10, 0) end as double)
            as closing_inventory_value_at_p10_demand,
        cast(case when {{ has_supply_plan }} then coalesce(inventory.inventory_value_p50, 0) end as double)
            as closing_inventory_value_at_p50_demand,
        cast(case when {{ has_supply_plan }} then coalesce(inventory.inventory_value_p90, 0) end as double)
            as closing_inventory_value_at_p90_demand
    from ranged_plan as plan
    left join inventory_value as inventory
        on plan.cycle_month = inventory.cycle_month
        and plan.scenario = inventory.scenario
        and plan.month = inventory.month
        and plan.product_line = inventory.product_line
        and plan.region = inventory.region

)

select * from final
