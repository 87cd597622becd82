{#- Returns with the region and channel of the order line they return (its ship-to values,
    else the customer's) and the product's standard cost. -#}
with

returns as (

    select * from {{ ref('stg_sales__returns') }}

),

order_lines as (

    select * from {{ ref('stg_sales__order_lines') }}

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
        coalesce(order_lines.region, customers.region) as region,
        coalesce(order_lines.channel, customers.channel) as channel,
        returns.sku,
        products.product_line,
        returns.returned_qty,
        returns.credit_amount,
        products.standard_cost,
        returns.return_reason
    from returns
    left join order_lines
        on returns.order_id = order_lines.order_id
        and returns.line_number = order_lines.line_number
    left join customers
        on returns.customer_id = customers.customer_id
    left join products
        on returns.sku = products.sku

)

select * from final
