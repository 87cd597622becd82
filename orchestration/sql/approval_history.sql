-- Every approval, newest first (the audit table as written).
select approval_id, cycle_month, scenario, approved_by, approved_at, note
from audit.plan_approvals
order by approved_at desc, approval_id desc
