{{ config(
    materialized=fact_materialization(),
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ increment_prepare() }}",
    post_hook="{{ increment_record() }}",
    meta={'increment': {
        'date_column': 'invoice_date',
        'grains': [
            {'model': 'stg_sales__invoices', 'date': 'invoice_date', 'keys': ['invoice_id'],
             'coupled': [{'model': 'stg_sales__cash_receipts', 'keys': ['invoice_id']}]},
        ],
        'masters': ['stg_masters__customers'],
    }},
) }}
with

invoices as (

    select * from {{ ref('int_invoices_collected') }}
    where {{ increment_filter('invoice_date') }}

),

customers as (

    select * from {{ ref('stg_masters__customers') }}

),

final as (

    select
        invoices.invoice_id,
        invoices.order_id,
        invoices.customer_id,
        customers.region,
        customers.channel,
        invoices.invoice_date,
        invoices.due_date,
        cast(invoices.invoice_amount as decimal(18, 2)) as invoice_amount,
        cast(invoices.collected_amount as decimal(18, 2)) as collected_amount,
        cast(invoices.invoice_amount - invoices.collected_amount as decimal(18, 2))
            as outstanding_amount,
        cast(invoices.receipt_count as integer) as receipt_count,
        invoices.last_receipt_date,
        invoices.collected_amount >= invoices.invoice_amount as is_fully_paid,
        cast(                        {{ dbt.datediff('invoices.invoice_date', 'invoices.due_date', 'day') }} as integer
        )
            as payment_terms_days
    from invoices
    left join customers
        on invoices.customer_id = customers.customer_id

)

select * from final
