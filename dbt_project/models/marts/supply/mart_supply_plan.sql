{#- The supply plan per planning cycle x SKU x horizon month: opening stock, consensus demand,
    planned production (capacity-constrained, built ahead where needed), closing stock and days
    of supply. Stock balance: closing = opening + planned production - consensus demand, every
    month; the first month opens with the latest count of the cycle month. Closing stock below
    zero is demand the plan cannot serve (projected backlog). shortfall_units is requirement due
    this month that no capacity could make; revenue at risk = shortfall x expected net price
    (the SKU's demand-weighted expected net price of the month).
    Empty unless capability supply_plan has its sources (dbt_project.yml vars). -#}
with

requirements as (

    select * from {{ ref('mart_production_requirements') }}

),

allocation as (

    select * from {{ ref('mart_production_allocation') }}

),

prices as (

    select * from {{ ref('mart_expected_net_prices') }}

),

consensus as (

    select * from {{ ref('int_scenario_demand') }}

),

policy as (

    select * from {{ ref('mart_inventory_policy') }}

),

sku_prices as (

    select
        consensus.cycle_month,
        consensus.scenario,
        consensus.sku,
        consensus.target_month as month,
        coalesce(
            sum(consensus.consensus_units * prices.expected_net_price * consensus.price_multiplier)
            / nullif(sum(consensus.consensus_units), 0),
            avg(prices.expected_net_price * consensus.price_multiplier)
        ) as expected_net_price
    from consensus
    inner join prices
        on consensus.cycle_month = prices.cycle_month
        and consensus.sku = prices.sku
        and consensus.region = prices.region
        and consensus.channel = prices.channel
    group by consensus.cycle_month, consensus.scenario, consensus.sku, consensus.target_month

),

planned as (

    select
        requirements.cycle_month,
        requirements.scenario,
        requirements.sku,
        requirements.production_line,
        requirements.month,
        requirements.lag_months,
        requirements.cycle_opening_stock_units,
        requirements.consensus_units,
        requirements.safety_stock_units,
        requirements.target_stock_units,
        requirements.required_units,
        coalesce(allocation.planned_units, 0) as planned_units,
        coalesce(allocation.built_ahead_units, 0) as built_ahead_units,
        coalesce(allocation.shortfall_units, 0) as shortfall_units,
        sum(coalesce(allocation.planned_units, 0) - requirements.consensus_units) over (
            partition by requirements.cycle_month, requirements.scenario, requirements.sku
            order by requirements.month
            rows between unbounded preceding and current row
        ) as cumulative_net_flow_units
    from requirements
    left join allocation
        on requirements.cycle_month = cast(allocation.cycle_month as date)
        and requirements.scenario = allocation.scenario
        and requirements.sku = allocation.sku
        and requirements.month = cast(allocation.month as date)

),

projected as (

    select
        planned.*,
        planned.cycle_opening_stock_units + planned.cumulative_net_flow_units
            as closing_stock_units,
        planned.cycle_opening_stock_units + planned.cumulative_net_flow_units
        - planned.planned_units + planned.consensus_units as opening_stock_units
    from planned

),

final as (

    select
        {{ scenario_surrogate_key(['projected.cycle_month', 'projected.sku', 'projected.month'],
                                  scenario='projected.scenario') }}
            as supply_plan_id,
        projected.cycle_month,
        projected.scenario,
        projected.sku,
        policy.product_line,
        projected.production_line,
        policy.abc_class,
        projected.month,
        projected.lag_months,
        cast(projected.opening_stock_units as double) as opening_stock_units,
        cast(projected.consensus_units as double) as consensus_demand_units,
        cast(projected.required_units as double) as required_production_units,
        cast(projected.planned_units as double) as planned_production_units,
        cast(projected.built_ahead_units as double) as built_ahead_units,
        cast(projected.shortfall_units as double) as shortfall_units,
        cast(projected.closing_stock_units as double) as closing_stock_units,
        cast(projected.safety_stock_units as double) as safety_stock_units,
        cast(projected.target_stock_units as double) as target_stock_units,
        cast(
            projected.closing_stock_units
            / nullif(projected.consensus_units / {{ days_in_month('projected.month') }}, 0)
            as double
        ) as days_of_supply,
        projected.closing_stock_units < projected.safety_stock_units - 1e-6
            as is_below_safety_stock,
        cast(greatest(-projected.closing_stock_units, 0) as double) as projected_backlog_units,
        cast(coalesce(sku_prices.expected_net_price, 0) as double) as expected_net_price,
        cast(projected.shortfall_units * coalesce(sku_prices.expected_net_price, 0) as double)
            as revenue_at_risk
    from projected
    left join policy
        on projected.cycle_month = policy.cycle_month
        and projected.scenario = policy.scenario
        and projected.sku = policy.sku
    left join sku_prices
        on projected.cycle_month = sku_prices.cycle_month
        and projected.scenario = sku_prices.scenario
        and projected.sku = sku_prices.sku
        and projected.month = sku_prices.month
    where {{ capability_available('supply_plan') }}

)

select * from final
