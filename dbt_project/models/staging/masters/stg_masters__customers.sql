{#- Personal data never reaches the warehouse in clear: ingest keeps only a keyed hash of the
    name (SOP_PII_KEY) and no phone at all (ingestion/contracts.py, personal=...). -#}
with

source as (

    select * from {{ source('masters', 'customers') }}

),

final as (

    select
        trim(customer_id) as customer_id,
        customer_name as customer_name_hash,
        trim(region) as region,
        lower(trim(channel)) as channel,
        lower(trim(tier)) as tier,
        cast(payment_terms_days as integer) as payment_terms_days,
        _source_file,
        _file_hash
    from source

)

select * from final
