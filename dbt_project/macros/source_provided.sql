{#-
    Whether the company sends a source (``sources.provided`` in platform.yml, passed by the
    orchestration as ``--vars '{"provided_sources": [...]}'``). Without the var every source
    counts as provided. Usable in Jinja (``{% if source_provided('shipments') %}``) and as a
    SQL boolean (``where {{ source_provided('shipments') }}``). Several names: all must be sent.
-#}
{% macro source_provided(names) -%}
    {%- set wanted = [names] if names is string else names -%}
    {%- set provided = var('provided_sources', 'all') -%}
    {%- if provided == 'all' -%}
        {{- return(true) -}}
    {%- endif -%}
    {%- for name in wanted -%}
        {%- if name not in provided -%}
            {{- return(false) -}}
        {%- endif -%}
    {%- endfor -%}
    {{- return(true) -}}
{%- endmacro %}
