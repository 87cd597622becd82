with

promotions as (

    select * from {{ ref('stg_marketing__promotions') }}

),

final as (

    select
        promo_id,
        promo_name,
        sku,
        product_line,
        region,
        start_date,
        end_date,
        cast(discount_depth as decimal(6, 4)) as discount_depth,
        cast(                        {{ dbt.datediff('start_date', 'end_date', 'day') }} + 1 as integer
        )
            as promo_days,
        sku is not null as is_sku_promotion,
        region = 'ALL' as is_all_regions
    from promotions

)

select * from final
