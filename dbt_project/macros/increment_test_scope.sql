{#-
    Data tests in daily runs: the incremental facts on the months this run rebuilt, the raw
    tables on the rows of their latest load.

    dbt wraps the model a generic test reads in ``get_where_subquery`` (its ``where`` config);
    this project's version adds, when ``var('test_scope')`` is ``'increment'``, for an
    incremental fact (``meta.increment``) the filter "event month in this run's
    ``<fact>__affected`` months", and for a raw table (a source in ``raw``) "rows of its latest
    load" (the ingest checked every row against the contract before it landed, duplicate keys
    against the whole table included). A model whose month's rows come from that month of one
    fact only says so in ``meta: {test_scope: {month_column, months_of: <fact>}}`` and is
    tested on the fact's rebuilt months. A full build or ``--full-refresh`` records every month
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

{#- In an ``increment`` test scope: an incremental fact's rebuilt months, a model's months of
    the fact it declares, a raw table's rows of its latest load (``_loaded_at``, one value per
    ingest run, as in ``audit.load_ledger``); else ''. Read when the test is compiled, which in
    ``dbt build`` is after its model was built, and written as literals: a constant filter is
    what DuckDB pushes below the aggregates of a view (a subquery filter it is not). -#}
{% macro increment_test_filter(relation) -%}
    {%- if not execute or var('test_scope', 'full') != 'increment' or target.type != 'duckdb' -%}
        {{- return('') -}}
    {%- endif -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.alias == relation.identifier
        and node.schema == relation.schema -%}
        {%- if node.config.meta.get('increment') -%}
            {{- return(_months_filter(node.config.meta['increment']['date_column'], node.alias, true)) -}}
        {%- elif node.config.meta.get('test_scope') -%}
            {%- set scope = node.config.meta['test_scope'] -%}
            {{- return(_months_filter(scope['month_column'], scope['months_of'], false)) -}}
        {%- endif -%}
    {%- endfor -%}
    {%- for node in graph.sources.values()
        if node.schema == var('raw_schema', 'raw') and node.schema == relation.schema
        and node.identifier == relation.identifier -%}
        {%- set latest = run_query("select cast(max(loaded_at) as varchar) from audit.load_ledger "
            ~ "where source = '" ~ node.identifier ~ "' and status = 'loaded'").rows[0][0] -%}
        {{- return("_loaded_at >= timestamp '" ~ latest ~ "'" if latest else 'false') -}}
    {%- endfor -%}
    {{- return('') -}}
{%- endmacro %}

{#- ``column`` (a date; ``is_date``: an event date, else a month start) within the months
    ``fact`` rebuilt in its last build; '' (no filter) when the fact has no such record. -#}
{% macro _months_filter(column, fact, is_date) -%}
    {%- set state = adapter.get_relation(database=target.database, schema='incremental_state',
        identifier=fact ~ '__affected') -%}
    {%- if state is none -%}
        {{- return('') -}}
    {%- endif -%}
    {%- set months = run_query("select cast(month as varchar) from " ~ state ~ " order by month")
        .columns[0].values() -%}
    {%- if not months -%}
        {{- return('false') -}}
    {%- endif -%}
    {%- set listed = [] -%}
    {%- for m in months %}{% do listed.append("date '" ~ m ~ "'") %}{% endfor -%}
    {%- set month_expr = increment_month(column) if is_date else column -%}
    {%- set exact = month_expr ~ ' in (' ~ listed | join(', ') ~ ')' -%}
    {%- if months[0] == '0001-01-01' -%}
        {{- return(exact) -}}  {#- undated rows: no date range holds them -#}
    {%- endif -%}
    {{- return(column ~ " >= date '" ~ months[0] ~ "' and " ~ column ~ " < date '" ~ months[-1]
        ~ "' + interval 1 month and " ~ exact) -}}
{%- endmacro %}
