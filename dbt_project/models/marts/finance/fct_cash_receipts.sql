{{ config(
    materialized=fact_materialization(),
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ increment_prepare() }}",
    post_hook="{{ increment_record() }}",
    meta={'increment': {
        'date_column': 'receipt_date',
        'grains': [
            {'model': 'stg_sales__cash_receipts', 'date': 'receipt_date', 'keys': ['invoice_id'],
             'coupled': [{'model': 'stg_sales__invoices', 'keys': ['invoice_id']}]},
        ],
        'masters': ['stg_masters__customers'],
    }},
) }}
with

receipts as (

    select * from {{ ref('stg_sales__cash_receipts') }}
    where {{ increment_filter('receipt_date') }}

),

invoices as (

    select * from {{ ref('stg_sales__invoices') }}

),

customers as (

    select * from {{ ref('stg_masters__customers') }}

),

final as (

    select
        receipts.receipt_id,
        receipts.invoice_id,
        receipts.customer_id,
        customers.region,
        customers.channel,
        receipts.receipt_date,
        invoices.invoice_date,
        invoices.due_date,
        cast(receipts.receipt_amount as decimal(18, 2)) as receipt_amount,
        cast(                        {{ dbt.datediff('invoices.invoice_date', 'receipts.receipt_date', 'day') }} as integer
        )
            as days_to_pay,
        cast(                        {{ dbt.datediff('invoices.due_date', 'receipts.receipt_date', 'day') }} as integer
        )
            as days_past_due,
        receipts.receipt_date > invoices.due_date as is_paid_late
    from receipts
    left join invoices
        on receipts.invoice_id = invoices.invoice_id
    left join customers
        on receipts.customer_id = customers.customer_id

)

select * from final
