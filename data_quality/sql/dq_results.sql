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
