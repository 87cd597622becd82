{#- Plan against the annual budget per planning cycle x month x product line x region, for
    the horizon months the budget covers: plan revenue and units at P50 with the P10-P90 range
    (mart_financial_plan) vs budget (fct_budget); gap = plan - budget. Year to date runs over
    the budget year: months up to the cycle month count booked net sales (fct_demand_monthly,
    the same definition the plan's revenue uses: ordered units x net price), later months the
    plan.
    Empty unless capability budget_gap has its sources (dbt_project.yml vars). -#}
with

plan as (

    select * from {{ ref('mart_financial_plan') }}

),

budget as (

    select * from {{ ref('fct_budget') }}

),

demand_history as (

    select * from {{ ref('fct_demand_monthly') }}

),

cycles as (

    select distinct
        cycle_month,
        scenario
    from plan

),

actuals as (

    select
        cycles.cycle_month,
        cycles.scenario,
        demand_history.month,
        demand_history.product_line,
        demand_history.region,
        sum(demand_history.ordered_units) as actual_units,
        sum(demand_history.net_sales) as actual_revenue
    from cycles
    inner join demand_history
        on demand_history.month <= cycles.cycle_month
        and extract(year from demand_history.month) = extract(year from cycles.cycle_month)
    group by
        cycles.cycle_month, cycles.scenario, demand_history.month, demand_history.product_line,
        demand_history.region

),

plan_or_actual as (

    select
        cycle_month,
        scenario,
        month,
        product_line,
        region,
        false as is_plan_month,
        actual_units as units_p10,
        actual_units as units_p50,
        actual_units as units_p90,
        actual_revenue as revenue_p10,
        actual_revenue as revenue_p50,
        actual_revenue as revenue_p90
    from actuals
    union all
    select
        cycle_month,
        scenario,
        month,
        product_line,
        region,
        true as is_plan_month,
        units_p10,
        units_p50,
        units_p90,
        revenue_p10,
        revenue_p50,
        revenue_p90
    from plan

),

compared as (

    select
        plan_or_actual.*,
        budget.budget_units,
        budget.budget_revenue,
        extract(year from plan_or_actual.month) as budget_year
    from plan_or_actual
    inner join budget
        on plan_or_actual.month = budget.month
        and plan_or_actual.product_line = budget.product_line
        and plan_or_actual.region = budget.region

),

year_to_date as (

    select
        *,
        sum(revenue_p10) over ytd as ytd_revenue_p10,
        sum(revenue_p50) over ytd as ytd_revenue_p50,
        sum(revenue_p90) over ytd as ytd_revenue_p90,
        sum(budget_revenue) over ytd as ytd_budget_revenue,
        sum(units_p50) over ytd as ytd_units_p50,
        sum(budget_units) over ytd as ytd_budget_units
    from compared
    window ytd as (
        partition by cycle_month, scenario, product_line, region, budget_year order by month
        rows between unbounded preceding and current row
    )

),

final as (

    select
        {{ scenario_surrogate_key(['cycle_month', 'month', 'product_line', 'region']) }}
            as budget_gap_id,
        cycle_month,
        scenario,
        month,
        cast(budget_year as integer) as budget_year,
        product_line,
        region,
        cast(units_p50 as double) as plan_units_p50,
        cast(budget_units as double) as budget_units,
        cast(revenue_p10 as double) as plan_revenue_p10,
        cast(revenue_p50 as double) as plan_revenue_p50,
        cast(revenue_p90 as double) as plan_revenue_p90,
        cast(budget_revenue as double) as budget_revenue,
        cast(revenue_p50 - budget_revenue as double) as revenue_gap_p50,
        cast((revenue_p50 - budget_revenue) / nullif(budget_revenue, 0) as double)
            as revenue_gap_pct,
        budget_revenue between revenue_p10 and revenue_p90 as is_budget_within_plan_range,
        cast(ytd_revenue_p10 as double) as ytd_revenue_p10,
        cast(ytd_revenue_p50 as double) as ytd_revenue_p50,
        cast(ytd_revenue_p90 as double) as ytd_revenue_p90,
        cast(ytd_budget_revenue as double) as ytd_budget_revenue,
        cast(ytd_revenue_p50 - ytd_budget_revenue as double) as ytd_revenue_gap_p50,
        cast((ytd_revenue_p50 - ytd_budget_revenue) / nullif(ytd_budget_revenue, 0) as double)
            as ytd_revenue_gap_pct,
        cast(ytd_units_p50 as double) as ytd_units_p50,
        cast(ytd_budget_units as double) as ytd_budget_units
    from year_to_date
    where {{ capability_available('budget_gap') }}
        and is_plan_month

)

select * from final
