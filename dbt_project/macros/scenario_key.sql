{#- A plan mart's row id with the scenario in it: the base plan keeps the id it had before
    scenarios existed (BI keys do not move), a scenario's rows prefix the scenario name. -#}
{% macro scenario_surrogate_key(columns, scenario='scenario') -%}
    case
        when {{ scenario }} = 'base' then {{ surrogate_key(columns) }}
        else {{ surrogate_key([scenario] + columns) }}
    end
{%- endmacro %}

{#- Whether a scenario adjustment row (alias adj) concerns a month: no range means every month. -#}
{% macro scenario_month_matches(adj, month) -%}
    ({{ adj }}.month_from is null or {{ month }} >= {{ adj }}.month_from)
    and ({{ adj }}.month_to is null or {{ month }} <= {{ adj }}.month_to)
{%- endmacro %}

{#- Whether an adjustment's optional filter matches a value: a null filter matches everything. -#}
{% macro scenario_filter_matches(adj, column, value) -%}
    ({{ adj }}.{{ column }} is null or {{ adj }}.{{ column }} = {{ value }})
{%- endmacro %}
