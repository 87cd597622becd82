{#- Calendar helpers written with dbt's cross-database macros. -#}

{% macro month_start(date_column) -%}
    cast({{ dbt.date_trunc('month', date_column) }} as date)
{%- endmacro %}

{% macro add_days(date_column, days) -%}
    cast({{ dbt.dateadd('day', days, date_column) }} as date)
{%- endmacro %}

{% macro add_months(date_column, months) -%}
    cast({{ dbt.dateadd('month', months, date_column) }} as date)
{%- endmacro %}

{% macro days_in_month(month_column) -%}
    {{ dbt.datediff(month_column, add_months(month_column, 1), 'day') }}
{%- endmacro %}

{% macro month_end(month_column) -%}
    {{ add_days(add_months(month_column, 1), -1) }}
{%- endmacro %}
