with

gl_actuals as (

    select * from {{ ref('stg_finance__gl_actuals') }}

),

final as (

    select
        {{ surrogate_key(['month', 'account_code']) }} as gl_actual_id,
        month,
        account_code,
        account_name,
        account_type,
        cast(amount as decimal(18, 2)) as amount
    from gl_actuals

)

select * from final
