-- RetrospectiveInputs.kpis: every KPI of every month up to $month, with its target.
select
    month,
    kpi,
    value,
    target,
    higher_is_better
from marts.mart_kpis_monthly
where month <= $month
order by month, kpi
