{#- Net revenue, cash collected, DSO and the share of the month's net revenue collected in it,
    per month (mart_kpis_monthly). -#}
with

kpis as (

    select * from {{ ref('mart_kpis_monthly') }}
    where kpi in ('net_revenue', 'cash_collected', 'dso')

),

pivoted as (

    select
        month,
        max(case when kpi = 'net_revenue' then value end) as net_revenue,
        max(case when kpi = 'cash_collected' then value end) as cash_collected,
        max(case when kpi = 'dso' then value end) as dso
    from kpis
    group by month

),

final as (

    select
        *,
        cash_collected / nullif(net_revenue, 0) as collected_share
    from pivoted

)

select * from final
