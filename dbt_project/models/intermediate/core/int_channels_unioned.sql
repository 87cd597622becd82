{#- Every channel the company sells through: a customer's channel or an order line's own. -#}
with

customers as (

    select * from {{ ref('stg_masters__customers') }}

),

order_lines as (

    select * from {{ ref('stg_sales__order_lines') }}

),

unioned as (

    select channel from customers
    union
    select channel from order_lines

),

final as (

    select channel
    from unioned
    where channel is not null

)

select * from final
