{#- The plan side of plan vs actual, per reviewed month x cell (sku x region x channel x customer
    tier): the lag-1 plan of record's consensus units (int_plan_demand_selected), its statistical
    units and the units the sales team submitted, split over customer tiers by each series' tier
    mix of ordered units in the tier_share_lookback_months up to the cycle, else the region x
    channel tier mix, else all to 'unassigned'; with the scenario's net price factor. -#}
with

plan_demand as (

    select * from {{ ref('int_plan_demand_selected') }}

),

plan_months as (

    select * from {{ ref('int_plan_months') }}

),

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

parameters as (

    select {{ parameter_value('tier_share_lookback_months') }}
    from {{ ref('performance_parameters') }}

),

tier_history as (

    select
        plan_months.cycle_month,
        order_lines.sku,
        order_lines.region,
        order_lines.channel,
        order_lines.tier as customer_tier,
        sum(order_lines.ordered_qty) as ordered_units
    from plan_months
    cross join parameters
    inner join order_lines
        on order_lines.order_date <= {{ month_end('plan_months.cycle_month') }}
        and order_lines.order_date >= {{ add_months('plan_months.cycle_month',
            '1 - cast(parameters.tier_share_lookback_months as integer)') }}
    group by
        plan_months.cycle_month, order_lines.sku, order_lines.region, order_lines.channel,
        order_lines.tier

),

series_tier_shares as (

    select
        cycle_month,
        sku,
        region,
        channel,
        customer_tier,
        ordered_units / sum(ordered_units) over (
            partition by cycle_month, sku, region, channel
        ) as tier_share
    from tier_history
    where ordered_units > 0

),

region_channel_tier_shares as (

    select
        cycle_month,
        region,
        channel,
        customer_tier,
        sum(ordered_units) / sum(sum(ordered_units)) over (
            partition by cycle_month, region, channel
        ) as tier_share
    from tier_history
    where ordered_units > 0
    group by cycle_month, region, channel, customer_tier

),

plan_series as (

    select
        plan_months.month,
        plan_demand.cycle_month,
        plan_demand.sku,
        plan_demand.region,
        plan_demand.channel,
        plan_demand.consensus_units,
        plan_demand.price_multiplier,
        coalesce(plan_demand.statistical_units, plan_demand.consensus_units) as statistical_units,
        coalesce(plan_demand.is_sales_team_submitted, false) as is_sales_team_submitted
    from plan_demand
    inner join plan_months
        on plan_demand.cycle_month = plan_months.cycle_month
        and plan_demand.target_month = plan_months.month

),

series_with_tier_mix as (

    select distinct
        cycle_month,
        sku,
        region,
        channel
    from series_tier_shares

),

plan_tier_shares as (

    select
        plan_series.month,
        plan_series.cycle_month,
        plan_series.sku,
        plan_series.region,
        plan_series.channel,
        plan_series.consensus_units,
        plan_series.price_multiplier,
        plan_series.statistical_units,
        plan_series.is_sales_team_submitted,
        coalesce(
            series_tier_shares.customer_tier, region_channel_tier_shares.customer_tier,
            'unassigned'
        ) as customer_tier,
        coalesce(series_tier_shares.tier_share, region_channel_tier_shares.tier_share, 1)
            as tier_share
    from plan_series
    left join series_with_tier_mix
        on plan_series.cycle_month = series_with_tier_mix.cycle_month
        and plan_series.sku = series_with_tier_mix.sku
        and plan_series.region = series_with_tier_mix.region
        and plan_series.channel = series_with_tier_mix.channel
    left join series_tier_shares
        on plan_series.cycle_month = series_tier_shares.cycle_month
        and plan_series.sku = series_tier_shares.sku
        and plan_series.region = series_tier_shares.region
        and plan_series.channel = series_tier_shares.channel
    left join region_channel_tier_shares
        on series_with_tier_mix.sku is null
        and plan_series.cycle_month = region_channel_tier_shares.cycle_month
        and plan_series.region = region_channel_tier_shares.region
        and plan_series.channel = region_channel_tier_shares.channel

),

final as (

    select
        month,
        sku,
        region,
        channel,
        customer_tier,
        sum(consensus_units * tier_share) as planned_units,
        max(price_multiplier) as price_multiplier,
        sum(statistical_units * tier_share) as statistical_units,
        sum(case when is_sales_team_submitted then consensus_units * tier_share else 0 end)
            as sales_team_units
    from plan_tier_shares
    group by month, sku, region, channel, customer_tier

)

select * from final
