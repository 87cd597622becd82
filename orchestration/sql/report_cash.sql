-- RetrospectiveInputs.cash: net revenue, cash collected and DSO per month up to $month
-- (reports.rpt_cash).
select *
from reports.rpt_cash
where month <= $month
order by month
