{#- Personal data stops here: the name is hashed with the secret key, the phone is dropped.
    A table, not a view: a view would keep the key in its SQL text inside the warehouse. -#}
{{ config(materialized='table') }}

with

source as (

    select * from {{ source('masters', 'customers') }}

),

final as (

    select
        trim(customer_id) as customer_id,
        {{ hash_personal_data('trim(customer_name)') }} as customer_name_hash,
        trim(region) as region,
        lower(trim(channel)) as channel,
        lower(trim(tier)) as tier,
        cast(payment_terms_days as integer) as payment_terms_days,
        _source_file,
        _file_hash
    from source

)

select * from final
