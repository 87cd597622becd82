with

source as (

    select * from {{ source('sales', 'returns') }}
    where {{ source_provided('returns') }}

),

final as (

    select
        trim(return_id) as return_id,
        trim(order_id) as order_id,
        cast(line_number as integer) as line_number,
        cast(return_date as date) as return_date,
        trim(customer_id) as customer_id,
        trim(sku) as sku,
        cast(returned_qty as integer) as returned_qty,
        cast(credit_amount as decimal(18, 2)) as credit_amount,
        nullif(trim(reason), '') as return_reason,
        _source_file,
        _file_hash
    from source

)

select * from final
