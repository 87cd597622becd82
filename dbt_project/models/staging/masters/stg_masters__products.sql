with

source as (

    select * from {{ source('masters', 'products') }}

),

final as (

    select
        trim(sku) as sku,
        trim(product_name) as product_name,
        trim(product_line) as product_line,
        trim(brand) as brand,
        cast(list_price as decimal(18, 2)) as list_price,
        cast(standard_cost as decimal(18, 2)) as standard_cost,
        cast(launch_date as date) as launch_date,
        cast(discontinue_date as date) as discontinue_date,
        trim(production_line) as production_line,
        cast(supplier_lead_time_days as integer) as supplier_lead_time_days,
        _source_file,
        _file_hash
    from source

)

select * from final
