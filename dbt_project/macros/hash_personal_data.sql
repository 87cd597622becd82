{#- One-way hash of a personal-data column, so records stay matchable but unreadable.
    SHA-256 where the engine has it; dbt's cross-database md5 elsewhere. -#}
{% macro hash_personal_data(column) -%}
    {{ return(adapter.dispatch('hash_personal_data')(column)) }}
{%- endmacro %}

{% macro default__hash_personal_data(column) -%}
    {{ dbt.hash(column) }}
{%- endmacro %}

{% macro duckdb__hash_personal_data(column) -%}
    sha256(cast({{ column }} as varchar))
{%- endmacro %}
