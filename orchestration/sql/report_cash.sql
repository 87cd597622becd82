-- RetrospectiveInputs.cash: net revenue, cash collected and DSO per month up to $month.
select
    month,
    max(case when kpi = 'net_revenue' then value end) as net_revenue,
    max(case when kpi = 'cash_collected' then value end) as cash_collected,
    max(case when kpi = 'dso' then value end) as dso
from marts.mart_kpis_monthly
where kpi in ('net_revenue', 'cash_collected', 'dso')
    and month <= $month
group by month
order by month
