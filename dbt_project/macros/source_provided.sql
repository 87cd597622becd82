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

{#-
    Whether a capability (var ``capabilities`` in dbt_project.yml) has every source it needs:
    ``where {{ capability_available('supply_plan') }}`` or ``{% if capability_available(...) %}``.
-#}
{% macro capability_available(name) -%}
    {%- set capabilities = var('capabilities') -%}
    {%- if name not in capabilities -%}
        {{- exceptions.raise_compiler_error("unknown capability '" ~ name ~ "' (dbt_project.yml vars.capabilities)") -}}
    {%- endif -%}
    {{- return(source_provided(capabilities[name]['sources'])) -}}
{%- endmacro %}
