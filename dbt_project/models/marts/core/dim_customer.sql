{#- Customers without personal data: no name, no phone, no name hash. -#}
with

customers as (

    select * from {{ ref('stg_masters__customers') }}

),

final as (

    select
        customer_id,
        region,
        channel,
        tier,
        payment_terms_days,
        {{ is_key_account('tier') }} as is_key_account
    from customers

)

select * from final
