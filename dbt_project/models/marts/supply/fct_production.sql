with

production as (

    select * from {{ ref('stg_inventory__production_outputs') }}

),

products as (

    select * from {{ ref('stg_masters__products') }}

),

final as (

    select
        {{ surrogate_key(['production.production_date', 'production.production_line', 'production.sku']) }}
            as production_id,
        production.production_date,
        production.production_line,
        production.sku,
        products.product_line,
        production.produced_qty,
        cast(products.standard_cost as decimal(18, 2)) as standard_cost,
        cast(production.produced_qty * products.standard_cost as decimal(18, 2)) as produced_cost_amount
    from production
    left join products
        on production.sku = products.sku

)

select * from final
