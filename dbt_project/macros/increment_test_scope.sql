{#-
    Data tests in daily runs: the incremental facts on the months this run rebuilt, the raw
    tables on the rows of their latest load.

    dbt wraps the model a generic test reads in ``get_where_subquery`` (its ``where`` config);
    this project's version adds, when ``var('test_scope')`` is ``'increment'``, for an
    incremental fact (``meta.increment``) the filter "event month in this run's
    ``<fact>__affected`` months", and for a raw table (a source in ``raw``) "rows of its latest
    load" (the ingest checked every row against the contract before it landed, duplicate keys
    against the whole table included). A full build or ``--full-refresh`` records every month
    as affected, so its tests still read the whole fact. The default scope is ``full``: a bare
    ``dbt build`` and the first daily run of each month (orchestration/dbt_test_scope.py) test
    every row. Only the tested model is filtered: the ``to`` side of a relationships test is
    read whole.
-#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set scoped = increment_test_filter(relation) -%}
    {%- set conditions = [] -%}
    {%- if where %}{% do conditions.append('(' ~ where ~ ')') %}{% endif -%}
    {%- if scoped %}{% do conditions.append(scoped) %}{% endif -%}
    {%- if conditions -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ conditions | join(' and ') }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{#- In an ``increment`` test scope: an incremental fact's rebuilt months, a raw table's rows of
    its latest load (``_loaded_at``, one value per ingest run, as in ``audit.load_ledger``);
    else ''. -#}
{% macro increment_test_filter(relation) -%}
    {%- if not execute or var('test_scope', 'full') != 'increment' or target.type != 'duckdb' -%}
        {{- return('') -}}
    {%- endif -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.alias == relation.identifier
        and node.schema == relation.schema and node.config.meta.get('increment') -%}
        {%- set affected = 'incremental_state.' ~ adapter.quote(node.alias ~ '__affected') -%}
        {{- return(increment_month(node.config.meta['increment']['date_column'])
            ~ ' in (select month from ' ~ affected ~ ')') -}}
    {%- endfor -%}
    {%- for node in graph.sources.values()
        if node.schema == var('raw_schema', 'raw') and node.schema == relation.schema
        and node.identifier == relation.identifier -%}
        {{- return("_loaded_at >= (select max(loaded_at) from audit.load_ledger where source = '"
            ~ node.identifier ~ "' and status = 'loaded')") -}}
    {%- endfor -%}
    {{- return('') -}}
{%- endmacro %}
