with

channels as (

    select * from {{ ref('int_channels_unioned') }}

),

customers as (

    select * from {{ ref('stg_masters__customers') }}

),

customers_per_channel as (

    select
        channel,
        count(*) as customer_count,
        sum(case when {{ is_key_account('tier') }} then 1 else 0 end) as key_account_count
    from customers
    group by channel

),

final as (

    select
        channels.channel,
        cast(coalesce(customers_per_channel.customer_count, 0) as integer) as customer_count,
        cast(coalesce(customers_per_channel.key_account_count, 0) as integer) as key_account_count
    from channels
    left join customers_per_channel
        on channels.channel = customers_per_channel.channel

)

select * from final
