{#- ISO day of week, Monday = 1 ... Sunday = 7. -#}
{% macro iso_day_of_week(date_column) -%}
    {{ return(adapter.dispatch('iso_day_of_week')(date_column)) }}
{%- endmacro %}

{% macro default__iso_day_of_week(date_column) -%}
    cast(extract(isodow from {{ date_column }}) as integer)
{%- endmacro %}

{% macro spark__iso_day_of_week(date_column) -%}
    cast(((dayofweek({{ date_column }}) + 5) % 7) + 1 as integer)
{%- endmacro %}
