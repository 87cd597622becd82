-- ScenarioInputs.approvals: every approval recorded for cycle $month (marts.mart_plan_approvals).
select *
from marts.mart_plan_approvals
where cycle_month = $month
order by approved_at
