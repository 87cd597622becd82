-- Cycles the financial plan holds (every company with order lines has it): "a cycle with a plan".
select distinct cycle_month
from marts.mart_financial_plan
order by cycle_month
