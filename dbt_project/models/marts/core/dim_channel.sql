with

customers as (

    select * from {{ ref('stg_masters__customers') }}

),

final as (

    select
        channel,
        cast(count(*) as integer) as customer_count,
        cast(sum(case when tier = 'key' then 1 else 0 end) as integer) as key_account_count
    from customers
    group by channel

)

select * from final
