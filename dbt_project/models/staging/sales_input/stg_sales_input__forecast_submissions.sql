with

source as (

    select * from {{ source('sales_input', 'sales_team_forecast') }}
    where {{ source_provided('sales_team_forecast') }}

),

final as (

    select
        trim(region) as region,
        {{ month_start('planning_month') }} as planning_month,
        trim(product_line) as product_line,
        {{ month_start('target_month') }} as target_month,
        cast(forecast_units as integer) as forecast_units,
        _source_file,
        _file_hash
    from source

)

select * from final
