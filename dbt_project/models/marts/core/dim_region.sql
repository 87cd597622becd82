with

regions as (

    select * from {{ ref('int_regions_unioned') }}

),

customers as (

    select * from {{ ref('stg_masters__customers') }}

),

customers_per_region as (

    select
        region,
        count(*) as customer_count,
        sum(case when {{ is_key_account('tier') }} then 1 else 0 end) as key_account_count
    from customers
    group by region

),

final as (

    select
        regions.region,
        cast(coalesce(customers_per_region.customer_count, 0) as integer) as customer_count,
        cast(coalesce(customers_per_region.key_account_count, 0) as integer) as key_account_count
    from regions
    left join customers_per_region
        on regions.region = customers_per_region.region

)

select * from final
