{#- Deviation alerts, as of every evaluated month: one row per month x alert that has fired up to
    that month. Rules and thresholds come from the seed alert_rules (never from this SQL):
      a_item_forecast_error: lag-1 consensus WAPE of an A-class SKU (class of the forecasting
        cycle, mart_inventory_policy) above the threshold, for the target month;
      persistent_bias: lag-1 consensus bias of a product line x region with the same sign for
        `threshold` target months running;
      projected_stockout: the cycle's supply plan (mart_supply_plan) projects closing stock below
        zero within `threshold` months; escalated when `escalation_threshold` months or nearer;
      budget_gap: year-to-date net revenue of a product line x region (mart_budget_variance)
        further than `threshold` from budget;
      dq_critical_failure: the month's latest run of a critical data-quality check
        (audit.dq_results) failed on more than `threshold` rows.
    alert_id = hash of rule and subject, stable across months. first_seen / last_seen: first and
    latest month the alert fired up to the as-of month; is_open: it fired in the as-of month.
    Owner: planning_owners for the rule's owner function, most specific region x product line
    match; the rule's default owner when none matches. -#}
{%- set dq_relation = load_relation(source('audit', 'dq_results')) -%}
with

accuracy as (

    select * from {{ ref('mart_forecast_accuracy') }}

),

policy as (

    {#- the plan of record of each cycle (int_plan_scenario_selected), not every scenario -#}
    select plan_rows.*
    from {{ ref('mart_inventory_policy') }} as plan_rows
    inner join {{ ref('int_plan_scenario_selected') }} as selected
        on plan_rows.cycle_month = selected.cycle_month
        and plan_rows.scenario = selected.scenario

),

supply_plan as (

    {#- the plan of record of each cycle (int_plan_scenario_selected), not every scenario -#}
    select plan_rows.*
    from {{ ref('mart_supply_plan') }} as plan_rows
    inner join {{ ref('int_plan_scenario_selected') }} as selected
        on plan_rows.cycle_month = selected.cycle_month
        and plan_rows.scenario = selected.scenario

),

budget_variance as (

    select * from {{ ref('mart_budget_variance') }}

),

owners as (

    select * from {{ ref('planning_owners') }}

),

rules as (

    select * from {{ ref('alert_rules') }}

),

dq_results as (

    {% if dq_relation is not none -%}
    select
        suite,
        table_name,
        expectation,
        severity,
        success,
        unexpected_count,
        evaluated_at
    from {{ source('audit', 'dq_results') }}
    {%- else -%}
        {#- audit.dq_results is created by the first data-quality run; until then no DQ alerts. -#}
        select
            cast(null as {{ dbt.type_string() }}) as suite,
            cast(null as {{ dbt.type_string() }}) as table_name,
            cast(null as {{ dbt.type_string() }}) as expectation,
            cast(null as {{ dbt.type_string() }}) as severity,
            cast(null as boolean) as success,
            cast(null as bigint) as unexpected_count,
            cast(null as {{ dbt.type_timestamp() }}) as evaluated_at
        where 1 = 0
    {%- endif %}

),

lag_one_consensus as (

    select *
    from accuracy
    where lag_months = 1 and method = 'consensus'

),

a_item_errors as (

    select
        'a_item_forecast_error' as rule,
        lag_one_consensus.target_month as month,
        lag_one_consensus.subject,
        policy.product_line,
        cast(null as {{ dbt.type_string() }}) as region,
        lag_one_consensus.wape as figure,
        {{ dbt.concat([
            "'lag-1 WAPE '", "cast(round(lag_one_consensus.wape * 100, 1) as " ~ dbt.type_string() ~ ")",
            "'% (band '", "cast(round(rules.threshold * 100, 1) as " ~ dbt.type_string() ~ ")",
            "'%); forecast '", "cast(round(lag_one_consensus.forecast_units, 0) as " ~ dbt.type_string() ~ ")",
            "' vs actual '", "cast(round(lag_one_consensus.actual_units, 0) as " ~ dbt.type_string() ~ ")",
            "' units'"]) }} as figures,
        cast(lag_one_consensus.wape as double) as evidence_1,
        cast(rules.threshold as double) as evidence_2,
        cast(lag_one_consensus.forecast_units as double) as evidence_3,
        cast(lag_one_consensus.actual_units as double) as evidence_4,
        cast(null as date) as evidence_date,
        cast(null as {{ dbt.type_string() }}) as evidence_text
    from lag_one_consensus
    inner join rules
        on rules.rule = 'a_item_forecast_error'
    inner join policy
        on lag_one_consensus.cycle_month = policy.cycle_month
        and lag_one_consensus.sku = policy.sku
    where lag_one_consensus.level = 'sku'
        and policy.abc_class = 'A'
        and lag_one_consensus.wape > rules.threshold

),

bias_signs as (

    select
        target_month as month,
        subject,
        product_line,
        region,
        bias,
        sign(bias) as bias_sign,
        row_number() over (partition by subject order by target_month)
        - row_number() over (partition by subject, sign(bias) order by target_month)
            as run_group
    from lag_one_consensus
    where level = 'product_line_region' and bias is not null

),

bias_runs as (

    select
        *,
        row_number() over (partition by subject, bias_sign, run_group order by month)
            as run_length
    from bias_signs

),

persistent_biases as (

    select
        'persistent_bias' as rule,
        bias_runs.month,
        bias_runs.subject,
        bias_runs.product_line,
        bias_runs.region,
        cast(bias_runs.run_length as double) as figure,
        {{ dbt.concat([
            "'lag-1 bias '", "case when bias_runs.bias > 0 then '+' else '' end",
            "cast(round(bias_runs.bias * 100, 1) as " ~ dbt.type_string() ~ ")",
            "'%; '", "case when bias_runs.bias > 0 then 'over' else 'under' end",
            "'-forecast '", "cast(bias_runs.run_length as " ~ dbt.type_string() ~ ")",
            "' months running'"]) }} as figures,
        cast(bias_runs.bias as double) as evidence_1,
        cast(bias_runs.run_length as double) as evidence_2,
        cast(null as double) as evidence_3,
        cast(null as double) as evidence_4,
        cast(null as date) as evidence_date,
        cast(null as {{ dbt.type_string() }}) as evidence_text
    from bias_runs
    inner join rules
        on rules.rule = 'persistent_bias'
    where bias_runs.bias_sign <> 0
        and bias_runs.run_length >= rules.threshold

),

first_stockouts as (

    select
        supply_plan.cycle_month,
        supply_plan.sku,
        supply_plan.product_line,
        min(supply_plan.lag_months) as months_ahead,
        min(supply_plan.month) as stockout_month,
        sum(supply_plan.projected_backlog_units * supply_plan.expected_net_price)
            as revenue_at_risk
    from supply_plan
    inner join rules
        on rules.rule = 'projected_stockout'
    where supply_plan.projected_backlog_units > 0
        and supply_plan.lag_months <= rules.threshold
    group by supply_plan.cycle_month, supply_plan.sku, supply_plan.product_line

),

projected_stockouts as (

    select
        'projected_stockout' as rule,
        cycle_month as month,
        sku as subject,
        product_line,
        cast(null as {{ dbt.type_string() }}) as region,
        cast(months_ahead as double) as figure,
        {{ dbt.concat([
            "'stock projected below zero from '", "cast(stockout_month as " ~ dbt.type_string() ~ ")",
            "' ('", "cast(months_ahead as " ~ dbt.type_string() ~ ")",
            "' month(s) ahead); backlog value '", "cast(round(revenue_at_risk, 0) as " ~ dbt.type_string() ~ ")",
            "' CNY'"]) }} as figures,
        cast(months_ahead as double) as evidence_1,
        cast(revenue_at_risk as double) as evidence_2,
        cast(null as double) as evidence_3,
        cast(null as double) as evidence_4,
        cast(stockout_month as date) as evidence_date,
        cast(null as {{ dbt.type_string() }}) as evidence_text
    from first_stockouts

),

budget_gaps as (

    select
        'budget_gap' as rule,
        budget_variance.month,
        budget_variance.subject,
        budget_variance.product_line,
        budget_variance.region,
        abs(budget_variance.variance_ytd_pct) as figure,
        {{ dbt.concat([
            "'YTD net revenue '", "cast(budget_variance.actual_ytd as " ~ dbt.type_string() ~ ")",
            "' vs budget '", "cast(budget_variance.budget_ytd as " ~ dbt.type_string() ~ ")",
            "' ('", "case when budget_variance.variance_ytd_pct > 0 then '+' else '' end",
            "cast(round(budget_variance.variance_ytd_pct * 100, 1) as " ~ dbt.type_string() ~ ")",
            "'%)'"]) }} as figures,
        cast(budget_variance.actual_ytd as double) as evidence_1,
        cast(budget_variance.budget_ytd as double) as evidence_2,
        cast(budget_variance.variance_ytd_pct as double) as evidence_3,
        cast(null as double) as evidence_4,
        cast(null as date) as evidence_date,
        cast(null as {{ dbt.type_string() }}) as evidence_text
    from budget_variance
    inner join rules
        on rules.rule = 'budget_gap'
    where budget_variance.level = 'product_line_region'
        and budget_variance.measure = 'revenue'
        and abs(budget_variance.variance_ytd_pct) > rules.threshold

),

dq_latest as (

    select
        *,
        {{ month_start('evaluated_at') }} as month,
        row_number() over (
            partition by suite, table_name, expectation, {{ month_start('evaluated_at') }}
            order by evaluated_at desc
        ) as recency
    from dq_results

),

dq_failures as (

    select
        'dq_critical_failure' as rule,
        dq_latest.month,
        {{ dbt.concat(['dq_latest.table_name', "' · '", 'dq_latest.expectation']) }} as subject,
        cast(null as {{ dbt.type_string() }}) as product_line,
        cast(null as {{ dbt.type_string() }}) as region,
        cast(dq_latest.unexpected_count as double) as figure,
        {{ dbt.concat([
            "'suite '", 'dq_latest.suite', "': '",
            "cast(coalesce(dq_latest.unexpected_count, 0) as " ~ dbt.type_string() ~ ")",
            "' failing row(s) at '", "cast(dq_latest.evaluated_at as " ~ dbt.type_string() ~ ")"]) }}
            as figures,
        cast(coalesce(dq_latest.unexpected_count, 0) as double) as evidence_1,
        cast(null as double) as evidence_2,
        cast(null as double) as evidence_3,
        cast(null as double) as evidence_4,
        cast(dq_latest.evaluated_at as date) as evidence_date,
        dq_latest.suite as evidence_text
    from dq_latest
    inner join rules
        on rules.rule = 'dq_critical_failure'
    where dq_latest.recency = 1
        and dq_latest.severity = 'critical'
        and not dq_latest.success
        and coalesce(dq_latest.unexpected_count, 0) >= rules.threshold

),

firings as (

    select * from a_item_errors
    union all
    select * from persistent_biases
    union all
    select * from projected_stockouts
    union all
    select * from budget_gaps
    union all
    select * from dq_failures

),

evaluated_months as (

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
        {{ month_start('evaluated_at') }}
    from dq_results

),

alerts_as_of as (

    select
        evaluated_months.month as as_of_month,
        firings.rule,
        firings.subject,
        min(firings.month) as first_seen_cycle,
        max(firings.month) as last_seen_cycle
    from evaluated_months
    inner join firings
        on evaluated_months.rule = firings.rule
        and firings.month <= evaluated_months.month
    group by evaluated_months.month, firings.rule, firings.subject

),

latest_firing as (

    select
        alerts_as_of.*,
        firings.product_line,
        firings.region,
        firings.figure,
        firings.figures,
        firings.evidence_1,
        firings.evidence_2,
        firings.evidence_3,
        firings.evidence_4,
        firings.evidence_date,
        firings.evidence_text
    from alerts_as_of
    inner join firings
        on alerts_as_of.rule = firings.rule
        and alerts_as_of.subject = firings.subject
        and alerts_as_of.last_seen_cycle = firings.month

),

owner_matches as (

    select
        latest_firing.as_of_month,
        latest_firing.rule,
        latest_firing.subject,
        owners.owner_name,
        row_number() over (
            partition by latest_firing.as_of_month, latest_firing.rule, latest_firing.subject
            order by
                case when owners.region = '*' then 0 else 1 end
                + case when owners.product_line = '*' then 0 else 1 end desc,
                case when owners.region = '*' then 0 else 1 end desc
        ) as specificity_rank
    from latest_firing
    inner join rules
        on latest_firing.rule = rules.rule
    inner join owners
        on owners.owner_function = rules.owner_function
        and (owners.region = '*' or owners.region = latest_firing.region)
        and (owners.product_line = '*' or owners.product_line = latest_firing.product_line)

),

final as (

    select
        {{ surrogate_key(['latest_firing.as_of_month', 'latest_firing.rule', 'latest_firing.subject']) }}
            as alert_month_id,
        {{ dbt.hash(dbt.concat(['latest_firing.rule', "'|'", 'latest_firing.subject'])) }}
            as alert_id,
        latest_firing.as_of_month,
        latest_firing.rule,
        latest_firing.subject,
        latest_firing.product_line,
        latest_firing.region,
        cast(latest_firing.figure as double) as figure,
        latest_firing.figures,
        latest_firing.evidence_1,
        latest_firing.evidence_2,
        latest_firing.evidence_3,
        latest_firing.evidence_4,
        latest_firing.evidence_date,
        latest_firing.evidence_text,
        coalesce(owner_matches.owner_name, rules.default_owner) as owner,
        case
            when latest_firing.rule = 'projected_stockout'
                and latest_firing.figure <= rules.escalation_threshold then rules.escalated_severity
            when latest_firing.rule <> 'projected_stockout'
                and latest_firing.figure >= rules.escalation_threshold then rules.escalated_severity
            else rules.severity
        end as severity,
        latest_firing.first_seen_cycle,
        latest_firing.last_seen_cycle,
        latest_firing.last_seen_cycle = latest_firing.as_of_month as is_open
    from latest_firing
    inner join rules
        on latest_firing.rule = rules.rule
    left join owner_matches
        on latest_firing.as_of_month = owner_matches.as_of_month
        and latest_firing.rule = owner_matches.rule
        and latest_firing.subject = owner_matches.subject
        and owner_matches.specificity_rank = 1

)

select * from final
