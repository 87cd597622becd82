{#- Invoices with the cash received against them so far. -#}
with

invoices as (

    select * from {{ ref('stg_sales__invoices') }}

),

receipts as (

    select * from {{ ref('stg_sales__cash_receipts') }}

),

collected_per_invoice as (

    select
        invoice_id,
        sum(receipt_amount) as collected_amount,
        count(*) as receipt_count,
        max(receipt_date) as last_receipt_date
    from receipts
    group by invoice_id

),

final as (

    select
        invoices.invoice_id,
        invoices.order_id,
        invoices.customer_id,
        invoices.invoice_date,
        invoices.due_date,
        invoices.invoice_amount,
        coalesce(collected_per_invoice.collected_amount, 0) as collected_amount,
        coalesce(collected_per_invoice.receipt_count, 0) as receipt_count,
        collected_per_invoice.last_receipt_date
    from invoices
    left join collected_per_invoice
        on invoices.invoice_id = collected_per_invoice.invoice_id

)

select * from final
