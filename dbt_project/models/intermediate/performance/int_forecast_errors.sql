{#- The scored forecast cells (int_forecast_actual_cells) one row per method (naive, statistical,
    consensus): cycle x lag x target month x sku x region x channel x method, with the method's
    units and P10/P90, the actual units, the product line (dim_product) and the series' MASE
    scale (int_seasonal_naive_scales, null without history). mart_forecast_accuracy sums these
    to its slices. -#}
{%- set methods = ['naive', 'statistical', 'consensus'] -%}
with

cells as (

    select * from {{ ref('int_forecast_actual_cells') }}

),

scales as (

    select * from {{ ref('int_seasonal_naive_scales') }}

),

products as (

    select * from {{ ref('dim_product') }}

),

final as (

    {% for method in methods %}
        select
            cells.cycle_month,
            cells.lag_months,
            cells.target_month,
            cells.sku,
            products.product_line,
            cells.region,
            cells.channel,
            '{{ method }}' as method,
            cells.{{ method }}_units as forecast_units,
            cells.{{ method }}_p10_units as p10_units,
            cells.{{ method }}_p90_units as p90_units,
            cells.actual_units,
            scales.seasonal_naive_mae
        from cells
        left join products
            on cells.sku = products.sku
        left join scales
            on cells.cycle_month = scales.cycle_month
            and cells.sku = scales.sku
            and cells.region = scales.region
            and cells.channel = scales.channel
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from final
