{#- The statistical forecast's P10 / P50 / P90 per cycle x level x target month, each band
    calibrated at its own level (ml.forecast_levels: product_line_region, product_line, total,
    sku) on that level's backtest. Written by the middle-out forecast only: for another method,
    or a unit test's source (no schema), there are no rows, never invented bands. Read by
    mart_financial_plan (product_line_region) and mart_inventory_policy (sku). -#}
{%- set levels_source = source('ml', 'forecast_levels') -%}
{%- set levels_relation = load_relation(levels_source) if levels_source.schema else none -%}
with

final as (

    {% if levels_relation is not none -%}
    select
        level,
        cast(cycle_month as date) as cycle_month,
        cast(target_month as date) as month,
        cast(lag as integer) as lag_months,
        product_line,
        region,
        sku,
        cast(p10 as double) as p10,
        cast(p50 as double) as p50,
        cast(p90 as double) as p90
    from {{ source('ml', 'forecast_levels') }}
    {%- else -%}
        select
            cast(null as {{ dbt.type_string() }}) as level,
            cast(null as date) as cycle_month,
            cast(null as date) as month,
            cast(null as integer) as lag_months,
            cast(null as {{ dbt.type_string() }}) as product_line,
            cast(null as {{ dbt.type_string() }}) as region,
            cast(null as {{ dbt.type_string() }}) as sku,
            cast(null as double) as p10,
            cast(null as double) as p50,
            cast(null as double) as p90
        where 1 = 0
    {%- endif %}

)

select * from final
