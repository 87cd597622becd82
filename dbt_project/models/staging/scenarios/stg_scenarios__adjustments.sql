{#- The adjustments of every scenario file, one row each (types and keys: docs/SCENARIOS.md). -#}
with

source as (

    select * from {{ source('scenarios', 'scenario_adjustments') }}

),

final as (

    select
        scenario,
        file,
        cast(adjustment_index as integer) as adjustment_index,
        adjustment_type,
        product_line,
        region,
        channel,
        sku,
        production_line,
        supplier_id,
        component_id,
        abc_class,
        customer_tier,
        cast(month_from as date) as month_from,
        cast(month_to as date) as month_to,
        cast(multiplier as double) as multiplier,
        cast(change_units as double) as change_units,
        quantile,
        cast(price_change_pct as double) as price_change_pct,
        cast(discount_points as double) as discount_points,
        cast(coalesce(elasticity, 0) as double) as elasticity,
        cast(coalesce(lead_time_days, 0) as integer) as lead_time_days,
        cast(coalesce(cost_change_pct, 0) as double) as cost_change_pct,
        cast(service_level_target as double) as service_level_target,
        cast(service_level_z as double) as service_level_z,
        cast(payment_days as integer) as payment_days
    from source

)

select * from final
