{#-
    One named value of a parameter seed (planning_parameters, performance_parameters),
    as a select item of a one-row pivot: ``{{ parameter_value('review_period_days') }}``.
    Aliased as the parameter's name unless ``alias`` is given; ``cast_as`` casts it.
-#}
{% macro parameter_value(name, alias=none, cast_as=none) -%}
    {%- set value = "max(case when parameter_name = '" ~ name ~ "' then parameter_value end)" -%}
    {%- if cast_as -%}
        cast({{ value }} as {{ cast_as }}) as {{ alias or name }}
    {%- else -%}
        {{ value }} as {{ alias or name }}
    {%- endif -%}
{%- endmacro %}
