{#- Planned collections per cycle x scenario x month at P10 / P50 / P90: each month's tier
    revenue (int_tier_revenue_planned) collected k months later with the tier's collection
    weight (mart_collection_profiles; a tier without its own profile uses the 'all' profile),
    so every planned yuan is collected once. A scenario's payment terms (customers of a tier
    paying d days later) collect each month's invoices d / 30.4375 months later: the whole
    months shift the profile and the fraction moves that share of the month's invoices (spread
    evenly over the month) one month further, so nothing is lost. -#}
with

tier_revenue as (

    select * from {{ ref('int_tier_revenue_planned') }}

),

profiles as (

    select * from {{ ref('mart_collection_profiles') }}

),

adjustments as (

    select * from {{ ref('stg_scenarios__adjustments') }}
    where adjustment_type = 'payment_terms'

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

collected as (

    select
        tier_revenue.cycle_month,
        tier_revenue.scenario,
        {{ add_months('tier_revenue.month', 'profiles.lag_months + payment_shifts.shift_months') }}
            as month,
        tier_revenue.revenue_p10 * profiles.collection_weight * payment_shifts.shift_share
            as collections_p10,
        tier_revenue.revenue_p50 * profiles.collection_weight * payment_shifts.shift_share
            as collections_p50,
        tier_revenue.revenue_p90 * profiles.collection_weight * payment_shifts.shift_share
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

),

final as (

    select
        cycle_month,
        scenario,
        month,
        sum(collections_p10) as collections_p10,
        sum(collections_p50) as collections_p50,
        sum(collections_p90) as collections_p90
    from collected
    group by cycle_month, scenario, month

)

select * from final
