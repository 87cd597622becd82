with

source as (

    select * from {{ source('finance', 'gl_actuals') }}
    where {{ source_provided('gl_actuals') }}

),

final as (

    select
        {{ month_start('month') }} as month,
        trim(account_code) as account_code,
        trim(account_name) as account_name,
        lower(trim(account_type)) as account_type,
        cast(amount as decimal(18, 2)) as amount,
        _source_file,
        _file_hash
    from source

)

select * from final
