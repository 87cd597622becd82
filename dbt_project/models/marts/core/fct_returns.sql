{#- Goods customers sent back, one row per return, credited at the original net price. -#}
with

returns as (

    select * from {{ ref('int_returns_enriched') }}

),

final as (

    select
        return_id,
        order_line_id,
        order_id,
        line_number,
        return_date,
        customer_id,
        region,
        channel,
        sku,
        product_line,
        returned_qty,
        cast(credit_amount as decimal(18, 2)) as credit_amount,
        cast(standard_cost as decimal(18, 2)) as standard_cost,
        return_reason
    from returns

)

select * from final
