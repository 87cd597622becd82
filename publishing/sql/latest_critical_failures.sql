-- The latest result of every check (by evaluation time, then run id), kept only when that
-- latest result is a failed critical check. A full dbt build (its invocation row,
-- check_kind 'dbt_invocation') supersedes every earlier row of its suite: a test or model
-- removed since no longer blocks. $excluded_suites: suites this caller does not wait for.
with

results as (

    select * from audit.dq_results
    where not list_contains($excluded_suites, suite)

),

full_dbt_builds as (

    select
        suite,
        max(evaluated_at) as built_at,
    from results
    where check_kind = 'dbt_invocation'
    group by suite

),

current_results as (

    select results.*
    from results
    left join full_dbt_builds
        on results.suite = full_dbt_builds.suite
    where full_dbt_builds.suite is null
        or results.evaluated_at >= full_dbt_builds.built_at

),

latest as (

    select
        suite,
        table_name,
        expectation,
        severity,
        success,
        message,
    from current_results
    qualify row_number() over (
        partition by suite, table_name, expectation
        order by evaluated_at desc, run_id desc
    ) = 1

)

select message
from latest
where severity = 'critical' and not success
order by suite, table_name, expectation
