-- One row per check per validation: the history the monthly report shows.
create schema if not exists audit;
create table if not exists audit.dq_results (
    run_id varchar not null,
    suite varchar not null,
    table_name varchar not null,
    expectation varchar not null,
    expectation_type varchar not null,
    check_kind varchar not null,
    column_name varchar,
    severity varchar not null,
    success boolean not null,
    unexpected_count bigint,
    element_count bigint,
    observed_value varchar,
    sample varchar,
    message varchar not null,
    evaluated_at timestamp not null
);

-- The current result of every check, defined once (the gate and the report read it): the
-- latest row per (suite, table, check) by evaluation time, then run id, where a full dbt
-- build (its invocation row, check_kind 'dbt_invocation') supersedes every earlier row of
-- its suite, so a test or model removed since no longer counts.
create or replace view audit.dq_results_current as
with

full_dbt_builds as (

    select
        suite,
        max(evaluated_at) as built_at,
    from audit.dq_results
    where check_kind = 'dbt_invocation'
    group by suite

),

current_results as (

    select dq_results.*
    from audit.dq_results
    left join full_dbt_builds
        on dq_results.suite = full_dbt_builds.suite
    where full_dbt_builds.suite is null
        or dq_results.evaluated_at >= full_dbt_builds.built_at

)

select * from current_results
qualify row_number() over (
    partition by suite, table_name, expectation
    order by evaluated_at desc, run_id desc
) = 1;
