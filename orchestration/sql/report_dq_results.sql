-- RetrospectiveInputs.dq_results: the current result of every check, as the gate sees it
-- when the report is written (audit.dq_results_current; checks run after the month they
-- review, so there is no month cut-off). reviewed_month is $month, the report's month.
select
    suite,
    table_name as "table",
    expectation,
    check_kind,
    severity,
    success,
    unexpected_count,
    message,
    evaluated_at,
    cast($month as date) as reviewed_month,
from audit.dq_results_current
order by evaluated_at, suite, "table", expectation
