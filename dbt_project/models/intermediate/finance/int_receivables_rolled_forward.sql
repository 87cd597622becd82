{#- Accounts receivable per customer and month: opening balance + invoiced - collected =
    closing balance, for every month from the customer's first invoice or receipt to the last
    month with any. days_in_month counts only the days with data in the last, partial month. -#}
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

    select
        customer_id,
        invoice_date as activity_date
    from invoices
    union all
    select
        customer_id,
        receipt_date as activity_date
    from receipts

),

customer_span as (

    select
        customer_id,
        {{ month_start('min(activity_date)') }} as first_month
    from activity
    group by customer_id

),

data_end as (

    select
        max(activity_date) as last_activity_date,
        {{ month_start('max(activity_date)') }} as last_month
    from activity

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
        coalesce(collected_monthly.collected_amount, 0) as collected_amount,
        case
            when panel.month = data_end.last_month
                then {{ dbt.datediff('panel.month', 'data_end.last_activity_date', 'day') }} + 1
            else {{ days_in_month('panel.month') }}
        end as days_in_month
    from panel
    cross join data_end
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
        days_in_month,
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
        days_in_month
    from rolled_forward

)

select * from final
