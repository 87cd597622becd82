-- RetrospectiveInputs.dq_results: data-quality check runs up to the end of $month
-- (the report shows the latest result of each check). As at the gate, a full dbt build
-- supersedes the earlier rows of its suite: a test removed since is no longer shown.
with

results as (

    select * from audit.dq_results
    where evaluated_at < cast($month as date) + interval 1 month

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
        results.severity,
        results.success,
        results.unexpected_count,
        results.evaluated_at,
    from results
    left join full_dbt_builds
        on results.suite = full_dbt_builds.suite
    where full_dbt_builds.suite is null
        or results.evaluated_at >= full_dbt_builds.built_at

)

select * from final
order by evaluated_at, suite, "table", expectation
