-- RetrospectiveInputs.dq_results: the data-quality results as the gate sees them when the
-- report is written (checks run after the month they review, so there is no month cut-off).
-- As at the gate, a full dbt build supersedes the earlier rows of its suite: a test removed
-- since is no longer shown. The report keeps the latest result of each check; reviewed_month
-- is $month, the report the rows are read for.
with

results as (

    select * from audit.dq_results

),

full_dbt_builds as (

    select
        suite,
        max(evaluated_at) as built_at,
    from results
    where check_kind = 'dbt_invocation'
    group by suite

),

final as (

    select
        results.suite,
        results.table_name as "table",
        results.expectation,
        results.check_kind,
        results.severity,
        results.success,
        results.unexpected_count,
        results.message,
        results.evaluated_at,
        cast($month as date) as reviewed_month,
    from results
    left join full_dbt_builds
        on results.suite = full_dbt_builds.suite
    where full_dbt_builds.suite is null
        or results.evaluated_at >= full_dbt_builds.built_at

)

select * from final
order by evaluated_at, suite, "table", expectation
