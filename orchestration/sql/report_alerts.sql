-- RetrospectiveInputs.alerts: the alert list as of $month (reports.rpt_alerts).
select *
from reports.rpt_alerts
where as_of_month = $month
order by is_open desc, severity_rank, rule, subject
