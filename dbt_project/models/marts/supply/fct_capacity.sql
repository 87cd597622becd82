{#- Capacity per production line and month, planned and past, with what was produced
    (NULL when the company sends no production output). -#}
with

capacity as (

    select * from {{ ref('stg_capacity__line_capacities') }}

),

production as (

    select * from {{ ref('stg_inventory__production_outputs') }}

),

produced_monthly as (

    select
        production_line,
        {{ month_start('production_date') }} as month,
        sum(produced_qty) as produced_units
    from production
    group by production_line, {{ month_start('production_date') }}

),

final as (

    select
        {{ surrogate_key(['capacity.month', 'capacity.production_line']) }} as capacity_id,
        capacity.month,
        capacity.production_line,
        capacity.available_hours,
        capacity.units_per_hour,
        capacity.available_units,
        {% if source_provided('production_output') -%}
            cast(coalesce(produced_monthly.produced_units, 0) as bigint) as produced_units
        {%- else -%}
        cast(null as bigint) as produced_units
        {%- endif %}
    from capacity
    left join produced_monthly
        on capacity.production_line = produced_monthly.production_line
        and capacity.month = produced_monthly.month

)

select * from final
