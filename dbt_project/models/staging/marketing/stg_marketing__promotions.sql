with

source as (

    select * from {{ source('marketing', 'promotions') }}
    where {{ source_provided('promotions') }}

),

final as (

    select
        trim(promo_id) as promo_id,
        trim(promo_name) as promo_name,
        nullif(trim(sku), '') as sku,
        nullif(trim(product_line), '') as product_line,
        trim(region) as region,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(discount_depth as decimal(6, 4)) as discount_depth,
        _source_file,
        _file_hash
    from source

)

select * from final
