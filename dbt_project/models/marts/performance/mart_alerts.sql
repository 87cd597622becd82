{#- Deviation alerts, as of every evaluated month (int_alert_evaluated_months): one row per month x
    alert that has fired up to that month. Rules and thresholds come from the seed alert_rules
    (never from this SQL); each rule's firings come from one intermediate model:
      a_item_forecast_error, persistent_bias: int_alert_forecast_firings (lag-1 consensus accuracy);
      projected_stockout: int_alert_stockout_firings (the supply plan of record), escalated when
        `escalation_threshold` months ahead or nearer;
      budget_gap: int_alert_budget_firings (year-to-date net revenue against budget);
      dq_critical_failure: int_alert_dq_firings (critical data-quality checks that failed).
    alert_id = hash of rule and subject, stable across months. first_seen / last_seen: first and
    latest month the alert fired up to the as-of month; is_open: it fired in the as-of month.
    Owner: planning_owners for the rule's owner function, most specific region x product line
    match; the rule's default owner when none matches. -#}
with

forecast_firings as (

    select * from {{ ref('int_alert_forecast_firings') }}

),

stockout_firings as (

    select * from {{ ref('int_alert_stockout_firings') }}

),

budget_firings as (

    select * from {{ ref('int_alert_budget_firings') }}

),

dq_firings as (

    select * from {{ ref('int_alert_dq_firings') }}

),

evaluated_months as (

    select * from {{ ref('int_alert_evaluated_months') }}

),

owners as (

    select * from {{ ref('planning_owners') }}

),

rules as (

    select * from {{ ref('alert_rules') }}

),

firings as (

    select * from forecast_firings
    union all
    select * from stockout_firings
    union all
    select * from budget_firings
    union all
    select * from dq_firings

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
