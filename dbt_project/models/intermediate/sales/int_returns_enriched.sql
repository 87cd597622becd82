{#- Returns with the customer's region and channel and the product's standard cost. -#}
with

returns as (

    select * from {{ ref('stg_sales__returns') }}

),

customers as (

    select * from {{ ref('stg_masters__customers') }}

),

products as (

    select * from {{ ref('stg_masters__products') }}

),

final as (

    select
        returns.return_id,
        {{ surrogate_key(['returns.order_id', 'returns.line_number']) }} as order_line_id,
        returns.order_id,
        returns.line_number,
        returns.return_date,
        returns.customer_id,
        customers.region,
        customers.channel,
        returns.sku,
        products.product_line,
        returns.returned_qty,
        returns.credit_amount,
        products.standard_cost,
        returns.return_reason
    from returns
    left join customers
        on returns.customer_id = customers.customer_id
    left join products
        on returns.sku = products.sku

)

select * from final
