{#- The cash plan per planning cycle x month: collections, payments and net cash flow.
    Collections (int_collections_planned): each month's planned revenue at P10 / P50 / P90
    (int_channel_revenue_planned) is split over customer tiers by each region x channel's
    trailing 12-month booked net sales mix (int_tier_revenue_planned) and collected k months
    later with the tier's collection weight (mart_collection_profiles), so every planned yuan
    is collected once: summed over the months the plan reaches, collections equal revenue.
    Payments: production's conversion cost (standard cost less the BOM's component cost,
    floored at zero) in the production month, and components (mart_procurement_plan) in their
    payment month. Months run from the first horizon month to the last month any flow
    lands in; receivables and payables open at the cycle are not included.
    Per scenario: its revenue (int_scenario_demand's units and price), its production and
    purchases, and its payment terms (collected d / 30.4375 months later, nothing lost).
    Empty unless capability cash has its sources (dbt_project.yml vars). -#}
with

channel_revenue as (

    select * from {{ ref('int_channel_revenue_planned') }}

),

collections as (

    select * from {{ ref('int_collections_planned') }}

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
