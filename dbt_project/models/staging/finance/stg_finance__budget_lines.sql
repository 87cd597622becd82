with

source as (

    select * from {{ source('finance', 'budget') }}
    where {{ source_provided('budget') }}

),

final as (

    select
        {{ month_start('month') }} as month,
        trim(product_line) as product_line,
        trim(region) as region,
        cast(budget_units as integer) as budget_units,
        cast(budget_revenue as decimal(18, 2)) as budget_revenue,
        cast(budget_cogs as decimal(18, 2)) as budget_cogs,
        cast(budget_opex as decimal(18, 2)) as budget_opex,
        _source_file,
        _file_hash
    from source

)

select * from final
