{#-
    The slices of mart_plan_vs_actual, declared once for the models that aggregate to them
    (int_plan_vs_actual_sliced, int_customer_changes_sliced, int_operations_sliced):
    levels (level -> its dimensions), product_levels (the levels that have stock, production and
    fill), dimensions (every slice column, in the mart's order) and subjects (level -> the SQL of
    its subject: 'Total', the dimension, or two dimensions joined by ' · ').
-#}
{% macro plan_vs_actual_levels() -%}
    {%- set levels = {
        'total': [],
        'product_line': ['product_line'],
        'product_line_region': ['product_line', 'region'],
        'sku': ['sku'],
        'region': ['region'],
        'channel': ['channel'],
        'customer_tier': ['customer_tier'],
    } -%}
    {%- set subjects = {} -%}
    {%- for level, level_dimensions in levels.items() -%}
        {%- if level_dimensions | length == 0 -%}
            {%- do subjects.update({level: "'Total'"}) -%}
        {%- elif level_dimensions | length == 1 -%}
            {%- do subjects.update({level: level_dimensions[0]}) -%}
        {%- else -%}
            {%- do subjects.update({level: dbt.concat([level_dimensions[0], "' · '", level_dimensions[1]])}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return({
        'levels': levels,
        'product_levels': ['total', 'product_line', 'sku'],
        'dimensions': ['product_line', 'region', 'channel', 'customer_tier', 'sku'],
        'subjects': subjects,
    }) }}
{%- endmacro %}
