-- The latest result of every check (by evaluation time, then run id), kept only when that
-- latest result is a failed critical check.
with

latest as (

    select
        suite,
        table_name,
        expectation,
        severity,
        success,
        message,
    from audit.dq_results
    qualify row_number() over (
        partition by suite, table_name, expectation
        order by evaluated_at desc, run_id desc
    ) = 1

)

select message
from latest
where severity = 'critical' and not success
order by suite, table_name, expectation
