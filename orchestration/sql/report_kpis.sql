-- RetrospectiveInputs.kpis: every KPI of every month up to $month, with its target, the
-- tolerance of a KPI without a direction and the grain the report prints.
select
    month,
    kpi,
    value,
    target,
    higher_is_better,
    tolerance,
    grain
from marts.mart_kpis_monthly
where month <= $month
order by month, kpi
