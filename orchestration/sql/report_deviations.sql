-- RetrospectiveInputs.deviations: plan vs actual of $month at every level (reports.rpt_deviations).
select *
from reports.rpt_deviations
where month = $month
order by abs(revenue_variance) desc, level, subject
