{#- The cash KPIs of mart_kpis_monthly, one row per month x KPI, for the months with receivables
    (fct_receivables_monthly):
      dso (metric dso): month-end receivables / (invoiced in the month / its days);
      cash_collected (metric cash_collected): receipts of the month (fct_cash_receipts). -#}
with

receivables as (

    select * from {{ ref('fct_receivables_monthly') }}

),

receipts as (

    select * from {{ ref('fct_cash_receipts') }}

),

receivable_totals as (

    select
        month,
        sum(closing_receivables) as closing_receivables,
        sum(invoiced_amount_per_day) as invoiced_amount_per_day
    from receivables
    group by month

),

collected as (

    select
        {{ month_start('receipt_date') }} as month,
        sum(receipt_amount) as cash_collected
    from receipts
    group by {{ month_start('receipt_date') }}

),

cash_kpis as (

    select
        receivable_totals.month,
        receivable_totals.closing_receivables
        / nullif(receivable_totals.invoiced_amount_per_day, 0) as dso,
        collected.cash_collected
    from receivable_totals
    left join collected
        on receivable_totals.month = collected.month

),

final as (

    select
        month,
        'dso' as kpi,
        dso as value
    from cash_kpis
    union all
    select
        month,
        'cash_collected',
        cash_collected
    from cash_kpis

)

select * from final
