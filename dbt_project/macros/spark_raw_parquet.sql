{#-
    on-run-start on Spark: register the raw tables exported to Parquet as tables of the raw
    schema (var raw_schema), one folder per table under var spark_raw_parquet
    (``<folder>/<table>``). The raw layer is loaded by the DuckDB ingestion; an engine
    without DuckDB reads a Parquet copy of it. No-op elsewhere or without the var.
-#}
{% macro register_raw_parquet() -%}
    {%- set root = var('spark_raw_parquet', none) -%}
    {%- if target.type != 'spark' or root is none or not execute -%}
        select 1
    {%- else -%}
        {%- set schema = var('raw_schema', 'raw') -%}
        {%- do run_query('create database if not exists ' ~ schema) -%}
        {%- for table in var('spark_raw_tables') -%}
            {%- do run_query('create table if not exists ' ~ schema ~ '.' ~ table
                ~ " using parquet location '" ~ root ~ '/' ~ table ~ "'") -%}
        {%- endfor -%}
        select 1
    {%- endif -%}
{%- endmacro %}
