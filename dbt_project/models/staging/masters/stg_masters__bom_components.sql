with

source as (

    select * from {{ source('masters', 'bom') }}
    where {{ source_provided('bom') }}

),

final as (

    select
        trim(sku) as sku,
        trim(component_id) as component_id,
        trim(component_name) as component_name,
        cast(qty_per_unit as double) as qty_per_unit,
        trim(supplier_id) as supplier_id,
        cast(supplier_lead_time_days as integer) as supplier_lead_time_days,
        cast(component_cost as decimal(18, 4)) as component_cost,
        cast(supplier_payment_terms_days as integer) as supplier_payment_terms_days,
        _source_file,
        _file_hash
    from source

)

select * from final
