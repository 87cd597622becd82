insert into audit.plan_approvals (approval_id, cycle_month, scenario, approved_by, approved_at, note)
values ($approval_id, $cycle_month, $scenario, $approved_by, $approved_at, $note)
