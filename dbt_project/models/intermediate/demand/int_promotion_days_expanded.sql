{#- Every day a SKU is on promotion in a region, with the deepest promotion running that day.
    Product-line promotions apply to every SKU of the line; region 'ALL' to every region. -#}
with

promotions as (

    select * from {{ ref('stg_marketing__promotions') }}

),

products as (

    select * from {{ ref('stg_masters__products') }}

),

regions as (

    select * from {{ ref('int_regions_unioned') }}

),

calendar as (

    select * from {{ ref('int_calendar_days_spined') }}

),

promoted_skus as (

    select
        promotions.promo_id,
        promotions.region,
        promotions.start_date,
        promotions.end_date,
        promotions.discount_depth,
        products.sku
    from promotions
    inner join products
        on promotions.sku = products.sku
        or (promotions.sku is null and promotions.product_line = products.product_line)

),

promoted_regions as (

    select
        promoted_skus.*,
        regions.region as promo_region
    from promoted_skus
    inner join regions
        on promoted_skus.region = regions.region
        or promoted_skus.region = 'ALL'

),

final as (

    select
        calendar.date_day as promo_date,
        promoted_regions.sku,
        promoted_regions.promo_region as region,
        max(promoted_regions.discount_depth) as discount_depth,
        count(*) as promotion_count
    from promoted_regions
    inner join calendar
        on calendar.date_day between promoted_regions.start_date and promoted_regions.end_date
    group by calendar.date_day, promoted_regions.sku, promoted_regions.promo_region

)

select * from final
