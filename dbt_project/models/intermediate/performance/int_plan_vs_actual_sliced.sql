{#- The cells of int_plan_vs_actual_cells summed to every slice of mart_plan_vs_actual (level x
    subject, macro plan_vs_actual_levels) per reviewed month: planned and actual units and
    revenue, actual units at planned prices, statistical and sales-team units, ordered and filled
    units, and the exact (unrounded) cause amounts. A cell's residual goes to the promotion when
    it had one, else to the launch when new, else to the discontinuation when dying; what is left
    is the forecast error, taken in int_plan_vs_actual_effects. -#}
{%- set slices = plan_vs_actual_levels() -%}
with

cells as (

    select * from {{ ref('int_plan_vs_actual_cells') }}

),

final as (

    {% for level, level_dimensions in slices.levels.items() %}
        select
            '{{ level }}' as level,
            {{ slices.subjects[level] }} as subject,
            {% for dimension in slices.dimensions -%}
                {% if dimension in level_dimensions -%}
                    {{ dimension }}
                {%- else -%}
                    cast(null as {{ dbt.type_string() }})
                {%- endif %} as {{ dimension }},
            {% endfor -%}
            month,
            cycle_month,
            sum(planned_units) as planned_units,
            sum(actual_units) as actual_units,
            sum(planned_revenue) as planned_revenue,
            sum(actual_revenue) as actual_revenue,
            sum(actual_at_planned_price) as actual_at_planned_price,
            sum(statistical_units) as statistical_units,
            sum(sales_team_units) as sales_team_units,
            sum(price_part) as cause_price_exact,
            sum(stockout_part) as cause_stockout_exact,
            sum(override_part) as cause_override_exact,
            sum(case when has_promotion then residual_part else 0 end) as cause_promotion_exact,
            sum(case when not has_promotion and is_new_item then residual_part else 0 end)
                as cause_new_item_exact,
            sum(case when not has_promotion and not is_new_item and is_dying_item
                    then residual_part
                else 0
            end) as cause_dying_item_exact,
            sum(ordered_units) as ordered_units,
            sum(filled_units) as filled_units
        from cells
        group by
            {% for dimension in level_dimensions %}{{ dimension }}, {% endfor -%}
            month, cycle_month
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from final
