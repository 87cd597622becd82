-- RetrospectiveInputs.alerts: the alert list as of $month (open ones and those closed earlier).
select
    alert_id,
    rule,
    subject,
    figures,
    evidence_1,
    evidence_2,
    evidence_3,
    evidence_4,
    evidence_date,
    evidence_text,
    owner,
    severity,
    first_seen_cycle,
    last_seen_cycle,
    is_open
from marts.mart_alerts
where as_of_month = $month
order by
    is_open desc,
    case severity when 'critical' then 1 when 'high' then 2 when 'medium' then 3 else 4 end,
    rule,
    subject
