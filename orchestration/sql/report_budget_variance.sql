-- RetrospectiveInputs.budget_variance: company-level actual vs budget per month of $month's year.
select
    month,
    measure,
    budget,
    actual
from marts.mart_budget_variance
where level = 'total'
    and month <= $month
    and year(month) = year(cast($month as date))
order by month, measure
