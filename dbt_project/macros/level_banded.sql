{#-
    A P10 or P90 measure of a plan cell ranged by its level band: the cell's P50 times the
    band's ratio to P50 (P10 ratio capped at 1, P90 ratio floored at 1) where the cell has a
    band (``<bands>.p10_ratio`` / ``p90_ratio`` not NULL), else the cell's own
    ``<measure>_<quantile>``. ``{{ level_banded('plan', 'bands', 'revenue', 'p90') }}``.
    (DuckDB's least/greatest skip NULLs, hence the explicit case.)
-#}
{% macro level_banded(plan, bands, measure, quantile) -%}
    {%- set bound = 'least' if quantile == 'p10' else 'greatest' -%}
    case
        when {{ bands }}.{{ quantile }}_ratio is not null
            then {{ plan }}.{{ measure }}_p50 * {{ bound }}({{ bands }}.{{ quantile }}_ratio, 1)
        else {{ plan }}.{{ measure }}_{{ quantile }}
    end
{%- endmacro %}
