-- The scenarios built for one cycle (dim_scenario: base plus each scenario run).
select distinct scenario
from marts.dim_scenario
where cycle_month = $cycle_month
order by scenario
