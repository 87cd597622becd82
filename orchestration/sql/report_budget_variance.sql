-- RetrospectiveInputs.budget_variance: company-level actual vs budget per month of $month's year
-- (reports.rpt_budget_variance).
select *
from reports.rpt_budget_variance
where month <= $month
    and year(month) = year(cast($month as date))
order by month, measure
