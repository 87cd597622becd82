{#- The months each alert rule was evaluated in, one row per rule x month: a month with data for
    the rule, whether it fired or not (mart_alerts lists an alert as of each of them):
    a_item_forecast_error and persistent_bias the target months of a lag-1 consensus accuracy;
    projected_stockout the cycles with a supply plan of record; budget_gap the months with
    actuals; dq_critical_failure the months with a data-quality run. -#}
with

lag_one_consensus as (

    select *
    from {{ ref('mart_forecast_accuracy') }}
    where lag_months = 1 and method = 'consensus'

),

supply_plan as (

    select * from {{ ref('int_supply_plan_of_record') }}

),

budget_variance as (

    select * from {{ ref('mart_budget_variance') }}

),

dq_checks as (

    select * from {{ ref('int_dq_checks_monthly') }}

),

final as (

    select distinct
        'a_item_forecast_error' as rule,
        target_month as month
    from lag_one_consensus
    union all
    select distinct
        'persistent_bias',
        target_month
    from lag_one_consensus
    union all
    select distinct
        'projected_stockout',
        cycle_month
    from supply_plan
    union all
    select distinct
        'budget_gap',
        month
    from budget_variance
    where actual is not null
    union all
    select distinct
        'dq_critical_failure',
        month
    from dq_checks

)

select * from final
