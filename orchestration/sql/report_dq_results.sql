-- RetrospectiveInputs.dq_results: data-quality check runs up to the end of $month
-- (the report shows the latest result of each check).
select
    suite,
    table_name as "table",
    expectation,
    severity,
    success,
    unexpected_count,
    evaluated_at
from audit.dq_results
where evaluated_at < cast($month as date) + interval 1 month
order by evaluated_at, suite, "table", expectation
