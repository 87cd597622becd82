with

source as (

    select * from {{ source('capacity', 'capacity') }}
    where {{ source_provided('capacity') }}

),

final as (

    select
        {{ month_start('month') }} as month,
        trim(production_line) as production_line,
        cast(available_hours as double) as available_hours,
        cast(units_per_hour as double) as units_per_hour,
        cast(available_units as integer) as available_units,
        _source_file,
        _file_hash
    from source

)

select * from final
