-- Rows of one scenario's financial plan for one cycle (0: the scenario was not built for it).
select count(*) as plan_rows
from marts.mart_financial_plan
where cycle_month = $cycle_month
    and scenario = $scenario
