with

source as (

    select * from {{ source('inventory', 'production_output') }}
    where {{ source_provided('production_output') }}

),

final as (

    select
        cast(production_date as date) as production_date,
        trim(production_line) as production_line,
        trim(sku) as sku,
        cast(produced_qty as integer) as produced_qty,
        _source_file,
        _file_hash
    from source

)

select * from final
