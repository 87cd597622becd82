{#- Planned revenue (int_channel_revenue_planned) split over customer tiers by each region x
    channel's trailing 12-month booked net sales mix (fct_order_lines, up to the cycle month's
    end). A region x channel without booked sales in those months keeps its whole revenue under
    customer_tier 'all'. -#}
with

channel_revenue as (

    select * from {{ ref('int_channel_revenue_planned') }}

),

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

cycles as (

    select distinct cycle_month
    from channel_revenue

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

final as (

    select
        channel_revenue.cycle_month,
        channel_revenue.scenario,
        channel_revenue.month,
        channel_revenue.region,
        channel_revenue.channel,
        coalesce(tier_mix.customer_tier, 'all') as customer_tier,
        channel_revenue.revenue_p10 * coalesce(tier_mix.tier_share, 1) as revenue_p10,
        channel_revenue.revenue_p50 * coalesce(tier_mix.tier_share, 1) as revenue_p50,
        channel_revenue.revenue_p90 * coalesce(tier_mix.tier_share, 1) as revenue_p90
    from channel_revenue
    left join tier_mix
        on channel_revenue.cycle_month = tier_mix.cycle_month
        and channel_revenue.region = tier_mix.region
        and channel_revenue.channel = tier_mix.channel

)

select * from final
