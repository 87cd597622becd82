with

source as (

    select * from {{ source('sales', 'cash_receipts') }}
    where {{ source_provided('cash_receipts') }}

),

final as (

    select
        trim(receipt_id) as receipt_id,
        trim(invoice_id) as invoice_id,
        trim(customer_id) as customer_id,
        cast(receipt_date as date) as receipt_date,
        cast(amount as decimal(18, 2)) as receipt_amount,
        _source_file,
        _file_hash
    from source

)

select * from final
