-- ScenarioInputs.comparison: the options of cycle $month, months and totals
-- (reports.rpt_scenario_comparison).
select *
from reports.rpt_scenario_comparison
where cycle_month = $month
order by scenario, period, month
