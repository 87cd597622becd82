{#- Accounts receivable per customer and month: opening balance + invoiced - collected =
    closing balance, for every month from the customer's first invoice to the last month
    with any invoice or receipt. -#}
with

invoices as (

    select * from {{ ref('stg_sales__invoices') }}

),

receipts as (

    select * from {{ ref('stg_sales__cash_receipts') }}

),

calendar as (

    select * from {{ ref('int_calendar_days_spined') }}

),

invoiced_monthly as (

    select
        customer_id,
        {{ month_start('invoice_date') }} as month,
        sum(invoice_amount) as invoiced_amount
    from invoices
    group by customer_id, {{ month_start('invoice_date') }}

),

collected_monthly as (

    select
        customer_id,
        {{ month_start('receipt_date') }} as month,
        sum(receipt_amount) as collected_amount
    from receipts
    group by customer_id, {{ month_start('receipt_date') }}

),

activity as (

    select customer_id, month from invoiced_monthly
    union all
    select customer_id, month from collected_monthly

),

customer_span as (

    select
        customer_id,
        min(month) as first_month
    from activity
    group by customer_id

),

data_end as (

    select max(month) as last_month from activity

),

months as (

    select distinct {{ month_start('date_day') }} as month
    from calendar

),

panel as (

    select
        customer_span.customer_id,
        months.month
    from customer_span
    cross join data_end
    inner join months
        on months.month >= customer_span.first_month
        and months.month <= data_end.last_month

),

movements as (

    select
        panel.customer_id,
        panel.month,
        coalesce(invoiced_monthly.invoiced_amount, 0) as invoiced_amount,
        coalesce(collected_monthly.collected_amount, 0) as collected_amount
    from panel
    left join invoiced_monthly
        on panel.customer_id = invoiced_monthly.customer_id
        and panel.month = invoiced_monthly.month
    left join collected_monthly
        on panel.customer_id = collected_monthly.customer_id
        and panel.month = collected_monthly.month

),

rolled_forward as (

    select
        customer_id,
        month,
        invoiced_amount,
        collected_amount,
        sum(invoiced_amount - collected_amount) over (
            partition by customer_id
            order by month
            rows between unbounded preceding and current row
        ) as closing_receivables
    from movements

),

final as (

    select
        customer_id,
        month,
        closing_receivables - invoiced_amount + collected_amount as opening_receivables,
        invoiced_amount,
        collected_amount,
        closing_receivables,
        {{ days_in_month('month') }} as days_in_month
    from rolled_forward

)

select * from final
