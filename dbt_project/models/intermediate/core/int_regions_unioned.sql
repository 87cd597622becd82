{#- Every region the company sells in: where a customer is based or an order line ships to
    (the same set the ingest checks budget, promotion and sales-team regions against). -#}
with

customers as (

    select * from {{ ref('stg_masters__customers') }}

),

order_lines as (

    select * from {{ ref('stg_sales__order_lines') }}

),

unioned as (

    select region from customers
    union
    select region from order_lines

),

final as (

    select region
    from unioned
    where region is not null

)

select * from final
