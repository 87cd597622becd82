-- RetrospectiveInputs.kpis: every KPI of every month up to $month (reports.rpt_kpis).
select *
from reports.rpt_kpis
where month <= $month
order by month, kpi
