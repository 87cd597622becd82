-- Critical checks whose current result (audit.dq_results_current: latest per check, a full
-- dbt build superseding its suite's earlier rows) failed. $excluded_suites: suites this
-- caller does not wait for.
select message
from audit.dq_results_current
where severity = 'critical'
    and not success
    and not list_contains($excluded_suites, suite)
order by suite, table_name, expectation
