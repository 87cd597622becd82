with

source as (

    select * from {{ source('sales', 'invoices') }}
    where {{ source_provided('invoices') }}

),

final as (

    select
        trim(invoice_id) as invoice_id,
        trim(order_id) as order_id,
        trim(customer_id) as customer_id,
        cast(invoice_date as date) as invoice_date,
        cast(due_date as date) as due_date,
        cast(invoice_amount as decimal(18, 2)) as invoice_amount,
        _source_file,
        _file_hash
    from source

)

select * from final
