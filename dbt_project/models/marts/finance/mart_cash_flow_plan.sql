{#- The cash plan per planning cycle x month: collections, payments and net cash flow.
    Collections: each month's planned revenue (mart_financial_plan, at P10 / P50 / P90) is split
    over customer tiers by each region x channel's trailing 12-month booked net sales mix, and
    collected k months later with the tier's collection weight (mart_collection_profiles),
    so every planned yuan is collected once: summed over the months the plan reaches, collections
    equal revenue. Payments: production's conversion cost (standard cost less the BOM's component
    cost, floored at zero) in the production month, and components (mart_procurement_plan) in
    their payment month. Months run from the first horizon month to the last month any flow
    lands in; receivables and payables open at the cycle are not included.
    Per scenario: its revenue (int_scenario_demand's units and price), its production and
    purchases, and its payment terms: customers of a tier paying d days later have each month's
    invoices collected d / 30.4375 months later, the whole months shifting the profile and the
    fraction moving that share of the month's invoices (spread evenly over the month) one month
    further, so what is delayed is collected later and nothing is lost.
    Empty unless capability cash has its sources (dbt_project.yml vars). -#}
with

consensus as (

    select * from {{ ref('int_scenario_demand') }}

),

prices as (

    select * from {{ ref('mart_expected_net_prices') }}

),

profiles as (

    select * from {{ ref('mart_collection_profiles') }}

),

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

supply_plan as (

    select * from {{ ref('mart_supply_plan') }}

),

procurement as (

    select * from {{ ref('mart_procurement_plan') }}

),

products as (

    select * from {{ ref('dim_product') }}

),

adjustments as (

    select * from {{ ref('stg_scenarios__adjustments') }}
    where adjustment_type = 'payment_terms'

),

cycles as (

    select distinct cycle_month
    from consensus

),

tier_mix as (

    select
        cycles.cycle_month,
        order_lines.region,
        order_lines.channel,
        order_lines.tier as customer_tier,
        sum(order_lines.ordered_net_amount) / sum(sum(order_lines.ordered_net_amount)) over (
            partition by cycles.cycle_month, order_lines.region, order_lines.channel
        ) as tier_share
    from cycles
    inner join order_lines
        on order_lines.order_date <= {{ month_end('cycles.cycle_month') }}
        and order_lines.order_date > {{ month_end(add_months('cycles.cycle_month', -12)) }}
    group by cycles.cycle_month, order_lines.region, order_lines.channel, order_lines.tier

),

channel_revenue as (

    select
        consensus.cycle_month,
        consensus.scenario,
        consensus.target_month as month,
        consensus.region,
        consensus.channel,
        sum(consensus.consensus_p10_units * prices.expected_net_price * consensus.price_multiplier)
            as revenue_p10,
        sum(consensus.consensus_units * prices.expected_net_price * consensus.price_multiplier)
            as revenue_p50,
        sum(consensus.consensus_p90_units * prices.expected_net_price * consensus.price_multiplier)
            as revenue_p90
    from consensus
    inner join prices
        on consensus.cycle_month = prices.cycle_month
        and consensus.sku = prices.sku
        and consensus.region = prices.region
        and consensus.channel = prices.channel
    group by
        consensus.cycle_month, consensus.scenario, consensus.target_month, consensus.region,
        consensus.channel

),

tier_revenue as (

    select
        channel_revenue.cycle_month,
        channel_revenue.scenario,
        channel_revenue.month,
        coalesce(tier_mix.customer_tier, 'all') as customer_tier,
        channel_revenue.revenue_p10 * coalesce(tier_mix.tier_share, 1) as revenue_p10,
        channel_revenue.revenue_p50 * coalesce(tier_mix.tier_share, 1) as revenue_p50,
        channel_revenue.revenue_p90 * coalesce(tier_mix.tier_share, 1) as revenue_p90
    from channel_revenue
    left join tier_mix
        on channel_revenue.cycle_month = tier_mix.cycle_month
        and channel_revenue.region = tier_mix.region
        and channel_revenue.channel = tier_mix.channel

),

tier_profiles as (

    select
        tier_revenue.cycle_month,
        tier_revenue.customer_tier,
        coalesce(own.customer_tier, 'all') as profile_tier
    from (
        select distinct
            cycle_month,
            customer_tier
        from tier_revenue
    ) as tier_revenue
    left join (
        select distinct
            cycle_month,
            customer_tier
        from profiles
    ) as own
        on tier_revenue.cycle_month = own.cycle_month
        and tier_revenue.customer_tier = own.customer_tier

),

payment_delays as (

    select
        tiers.cycle_month,
        tiers.scenario,
        tiers.customer_tier,
        coalesce(sum(adj.payment_days), 0) / 30.4375 as delay_months
    from (
        select distinct
            cycle_month,
            scenario,
            customer_tier
        from tier_revenue
    ) as tiers
    left join adjustments as adj
        on tiers.scenario = adj.scenario
        and {{ scenario_filter_matches('adj', 'customer_tier', 'tiers.customer_tier') }}
    group by tiers.cycle_month, tiers.scenario, tiers.customer_tier

),

payment_shifts as (

    select
        cycle_month,
        scenario,
        customer_tier,
        cast(floor(delay_months) as integer) as shift_months,
        1 - (delay_months - floor(delay_months)) as shift_share
    from payment_delays
    union all
    select
        cycle_month,
        scenario,
        customer_tier,
        cast(floor(delay_months) as integer) + 1 as shift_months,
        delay_months - floor(delay_months) as shift_share
    from payment_delays

),

collections as (

    select
        tier_revenue.cycle_month,
        tier_revenue.scenario,
        {{ add_months('tier_revenue.month', 'profiles.lag_months + payment_shifts.shift_months') }}
            as month,
        sum(tier_revenue.revenue_p10 * profiles.collection_weight * payment_shifts.shift_share)
            as collections_p10,
        sum(tier_revenue.revenue_p50 * profiles.collection_weight * payment_shifts.shift_share)
            as collections_p50,
        sum(tier_revenue.revenue_p90 * profiles.collection_weight * payment_shifts.shift_share)
            as collections_p90
    from tier_revenue
    inner join tier_profiles
        on tier_revenue.cycle_month = tier_profiles.cycle_month
        and tier_revenue.customer_tier = tier_profiles.customer_tier
    inner join profiles
        on tier_profiles.cycle_month = profiles.cycle_month
        and tier_profiles.profile_tier = profiles.customer_tier
    inner join payment_shifts
        on tier_revenue.cycle_month = payment_shifts.cycle_month
        and tier_revenue.scenario = payment_shifts.scenario
        and tier_revenue.customer_tier = payment_shifts.customer_tier
        and payment_shifts.shift_share > 0
    group by 1, 2, 3  -- noqa: AM06 (the keys by position, the measures by name)

),

revenue as (

    select
        cycle_month,
        scenario,
        month,
        sum(revenue_p10) as revenue_p10,
        sum(revenue_p50) as revenue_p50,
        sum(revenue_p90) as revenue_p90
    from channel_revenue
    group by cycle_month, scenario, month

),

production_payments as (

    select
        supply_plan.cycle_month,
        supply_plan.scenario,
        supply_plan.month,
        sum(
            supply_plan.planned_production_units
            * greatest(products.standard_cost - products.component_cost_per_unit, 0)
        ) as production_payments
    from supply_plan
    inner join products
        on supply_plan.sku = products.sku
    group by supply_plan.cycle_month, supply_plan.scenario, supply_plan.month

),

component_payments as (

    select
        cycle_month,
        scenario,
        payment_month as month,
        sum(component_cost_amount) as component_payments
    from procurement
    group by cycle_month, scenario, payment_month

),

months as (

    select
        cycle_month,
        scenario,
        month
    from revenue
    union
    select
        cycle_month,
        scenario,
        month
    from collections
    union
    select
        cycle_month,
        scenario,
        month
    from production_payments
    union
    select
        cycle_month,
        scenario,
        month
    from component_payments

),

joined as (

    select
        months.cycle_month,
        months.scenario,
        months.month,
        revenue.month is not null as is_horizon_month,
        coalesce(revenue.revenue_p10, 0) as revenue_p10,
        coalesce(revenue.revenue_p50, 0) as revenue_p50,
        coalesce(revenue.revenue_p90, 0) as revenue_p90,
        coalesce(collections.collections_p10, 0) as collections_p10,
        coalesce(collections.collections_p50, 0) as collections_p50,
        coalesce(collections.collections_p90, 0) as collections_p90,
        coalesce(production_payments.production_payments, 0) as production_payments,
        coalesce(component_payments.component_payments, 0) as component_payments
    from months
    left join revenue
        on months.cycle_month = revenue.cycle_month
        and months.scenario = revenue.scenario
        and months.month = revenue.month
    left join collections
        on months.cycle_month = collections.cycle_month
        and months.scenario = collections.scenario
        and months.month = collections.month
    left join production_payments
        on months.cycle_month = production_payments.cycle_month
        and months.scenario = production_payments.scenario
        and months.month = production_payments.month
    left join component_payments
        on months.cycle_month = component_payments.cycle_month
        and months.scenario = component_payments.scenario
        and months.month = component_payments.month

),

final as (

    select
        {{ scenario_surrogate_key(['cycle_month', 'month']) }} as cash_flow_plan_id,
        cycle_month,
        scenario,
        month,
        is_horizon_month,
        cast(revenue_p10 as double) as revenue_p10,
        cast(revenue_p50 as double) as revenue_p50,
        cast(revenue_p90 as double) as revenue_p90,
        cast(collections_p10 as double) as collections_p10,
        cast(collections_p50 as double) as collections_p50,
        cast(collections_p90 as double) as collections_p90,
        cast(production_payments as double) as production_payments,
        cast(component_payments as double) as component_payments,
        cast(collections_p10 - production_payments - component_payments as double)
            as net_cash_flow_p10,
        cast(collections_p50 - production_payments - component_payments as double)
            as net_cash_flow_p50,
        cast(collections_p90 - production_payments - component_payments as double)
            as net_cash_flow_p90,
        cast(sum(collections_p50 - production_payments - component_payments) over (
            partition by cycle_month, scenario order by month
            rows between unbounded preceding and current row
        ) as double) as cumulative_net_cash_flow_p50
    from joined
    where {{ capability_available('cash') }}

)

select * from final
