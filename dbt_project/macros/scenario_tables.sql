{#- The scenario tables, created empty when missing so the plan marts always have their source.
    The one definition of their columns: orchestration/scenarios/tables.py renders this macro
    (plain Jinja, only target.type) for the scenario loader, which fills them from
    $SOP_HOME/scenarios/*.yml. DuckDB only: elsewhere the platform does not write them. -#}
{% macro create_scenario_tables() -%}
    {%- if target.type == 'duckdb' -%}
        create schema if not exists scenarios;
        create table if not exists scenarios.scenario_adjustments (
            scenario varchar,
            file varchar,
            adjustment_index integer,
            adjustment_type varchar,
            product_line varchar,
            region varchar,
            channel varchar,
            sku varchar,
            production_line varchar,
            supplier_id varchar,
            component_id varchar,
            abc_class varchar,
            customer_tier varchar,
            month_from date,
            month_to date,
            multiplier double,
            change_units double,
            quantile varchar,
            price_change_pct double,
            discount_points double,
            elasticity double,
            lead_time_days integer,
            cost_change_pct double,
            service_level_target double,
            service_level_z double,
            payment_days integer
        );
        create table if not exists scenarios.scenario_runs (
            cycle_month date,
            scenario varchar,
            file varchar,
            description varchar,
            loaded_at timestamp
        )
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
