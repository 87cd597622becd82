{#- The firings of alert rule dq_critical_failure (seed alert_rules), one row per month x table x
    check fired: the month's latest run of a critical data-quality check (int_dq_checks_monthly)
    failed on `threshold` rows or more. -#}
with

dq_checks as (

    select * from {{ ref('int_dq_checks_monthly') }}

),

rules as (

    select * from {{ ref('alert_rules') }}

),

final as (

    select
        'dq_critical_failure' as rule,
        dq_checks.month,
        {{ dbt.concat(['dq_checks.table_name', "' · '", 'dq_checks.expectation']) }} as subject,
        cast(null as {{ dbt.type_string() }}) as product_line,
        cast(null as {{ dbt.type_string() }}) as region,
        cast(dq_checks.unexpected_count as double) as figure,
        {{ dbt.concat([
            "'suite '", 'dq_checks.suite', "': '",
            "cast(coalesce(dq_checks.unexpected_count, 0) as " ~ dbt.type_string() ~ ")",
            "' failing row(s) at '", "cast(dq_checks.evaluated_at as " ~ dbt.type_string() ~ ")"]) }}
            as figures,
        cast(coalesce(dq_checks.unexpected_count, 0) as double) as evidence_1,
        cast(null as double) as evidence_2,
        cast(null as double) as evidence_3,
        cast(null as double) as evidence_4,
        cast(dq_checks.evaluated_at as date) as evidence_date,
        dq_checks.suite as evidence_text
    from dq_checks
    inner join rules
        on rules.rule = 'dq_critical_failure'
    where dq_checks.recency = 1
        and dq_checks.severity = 'critical'
        and not dq_checks.success
        and coalesce(dq_checks.unexpected_count, 0) >= rules.threshold

)

select * from final
