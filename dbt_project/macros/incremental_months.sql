{#-
    Incremental facts by affected event month (DuckDB; other engines build them as tables).

    A fact that grows with time declares, in ``config(meta={'increment': ...})``:
      date_column  its event date; a target row's partition is that date's month
      grains       the staging models its rows come from: {model, date, keys, coupled}; a grain
                   row's month is the month of its ``date``; ``coupled`` lists staging models
                   joined to it on ``keys`` (shipments summed per order line, the order line
                   that prices a shipment, the receipts of an invoice)
      masters      staging models looked up by every row (products, customers): any change
                   of their content rebuilds the whole fact
      to_end       optional {model, date}: the fact's months depend on one another (a dense
                   panel from each series' first month to the last date of ``date`` in
                   ``model``): an increment rebuilds every month from the earliest touched
                   one to the end (``_increment_span_to_end_sql``)
    Every staging model named there carries the raw lineage columns _source_file, _file_hash.

    State (schema incremental_state, one set of tables per fact):
      <fact>__files     (source_model, source_file, file_hash, month): the months that rows of
                        each loaded file version went into. A month is recorded for a file when
                        the file, or a file coupled to it, arrives; never forgotten while the
                        version is loaded, so the set can only be too large, never too small.
      <fact>__meta      the fingerprint of the fact's code, its ancestors', the vars and the
                        masters' content at the last build
      <fact>__versions, __pending   this run's work tables
      <fact>__affected  the months this run rebuilt (every month on a full build): what the
                        data tests of a daily run read (macros/increment_test_scope.sql)
    A run recomputes exactly the months touched by new, re-delivered or removed file versions
    (the new version's rows and the old version's recorded months): pre-hook
    ``increment_prepare`` deletes them from the fact, the model selects them (``increment_filter``),
    post-hook ``increment_record`` records the state. A changed fingerprint, a first build and
    ``--full-refresh`` rebuild everything.
-#}

{% macro fact_materialization() -%}
    {{- return('incremental' if target.type == 'duckdb' else 'table') -}}
{%- endmacro %}

{#- on-run-start: the state schema, made once before threads start (concurrent creates conflict). -#}
{% macro create_increment_state_schema() -%}
    {%- if target.type == 'duckdb' -%}
        create schema if not exists incremental_state
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{% macro increment_month(date_column) -%}
    coalesce(cast(date_trunc('month', {{ date_column }}) as date), date '0001-01-01')
{%- endmacro %}

{% macro increment_state(suffix) -%}
    incremental_state.{{ adapter.quote(this.identifier ~ '__' ~ suffix) }}
{%- endmacro %}

{#- A session variable the pre-hook sets for the model's filter (per fact: threads do not share). -#}
{% macro _increment_variable(name) -%}
    {{- 'increment_' ~ name ~ '_' ~ this.identifier -}}
{%- endmacro %}

{#- The model's filter: all rows on a full build, only the affected months on an increment.
    The first range of dates (the affected months' span, from session variables the pre-hook
    set: constants when the query is planned) is what DuckDB pushes below the joins and
    aggregates of the upstream views, so an increment reads its months' rows, not the
    history's; ``all`` opens it when an affected month is the one of undated rows. The month
    list then keeps exactly the affected months. -#}
{% macro increment_filter(date_column) -%}
    {%- if is_incremental() -%}
        (getvariable('{{ _increment_variable('all') }}')
            or ({{ date_column }} >= getvariable('{{ _increment_variable('from') }}')
                and {{ date_column }} < getvariable('{{ _increment_variable('until') }}')))
        and {{ increment_month(date_column) }} in (select month from {{ increment_state('affected') }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- A staging model's relation, looked up in the graph rather than with ref(): the hooks read
    upstream models the fact already depends on through its intermediate models, and a ref()
    would make every unit test of the fact mock them. -#}
{% macro _increment_relation(name) -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.name == name -%}
        {{- return(node.relation_name) -}}
    {%- endfor -%}
    {{- exceptions.raise_compiler_error("meta.increment names an unknown model: " ~ name) -}}
{%- endmacro %}

{% macro _increment_spec() -%}
    {%- set spec = model.config.meta.get('increment') -%}
    {%- if spec is none -%}
        {{ exceptions.raise_compiler_error(model.name ~ ": incremental fact without meta.increment") }}
    {%- endif -%}
    {{- return(spec) -}}
{%- endmacro %}

{#- Every staging model whose files feed the fact. -#}
{% macro _increment_inputs(spec) -%}
    {%- set names = [] -%}
    {%- for grain in spec['grains'] -%}
        {%- if grain['model'] not in names %}{% do names.append(grain['model']) %}{% endif -%}
        {%- for coupled in grain.get('coupled', []) -%}
            {%- if coupled['model'] not in names %}{% do names.append(coupled['model']) %}{% endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(names) -}}
{%- endmacro %}

{#- The raw table a staging model reads, when it reads exactly one (none otherwise). -#}
{% macro _increment_raw_table(name) -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.name == name -%}
        {%- set sources = [] -%}
        {%- for uid in node.depends_on.nodes if uid.startswith('source.') %}{% do sources.append(uid) %}{% endfor -%}
        {%- if sources | length == 1 and node.depends_on.nodes | length == 1 -%}
            {%- set src = graph.sources.get(sources[0]) -%}
            {%- if src is not none and src.schema == var('raw_schema', 'raw') -%}
                {{- return(src.identifier) -}}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(none) -}}
{%- endmacro %}

{#- The loaded file versions of every input: (source_model, source_file, file_hash). From the
    load ledger (``audit.load_ledger``: its ``loaded`` rows are what raw holds) for a staging
    model over one raw table, a small table instead of a scan of the history's rows; the
    ``exists`` keeps the staging model's meaning when it keeps no row (a source not
    provided). A version whose rows were all quarantined is listed and adds no month. Without
    a ledger (a warehouse not loaded by the ingestion), the staging model's distinct versions. -#}
{% macro _increment_versions_sql(spec) -%}
    {%- set ledger = adapter.get_relation(database=target.database, schema='audit', identifier='load_ledger') -%}
    {%- for name in _increment_inputs(spec) %}
    {%- set raw_table = _increment_raw_table(name) if ledger is not none else none %}
    {%- if raw_table is not none %}
    select distinct '{{ name }}' as source_model, file_name as source_file, file_hash
    from {{ ledger }}
    where source = '{{ raw_table }}' and status = 'loaded'
        and exists (select 1 from {{ _increment_relation(name) }})
    {%- else %}
    select distinct '{{ name }}' as source_model, _source_file as source_file, _file_hash as file_hash
    from {{ _increment_relation(name) }}
    {%- endif %}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}

{#-
    (source_model, source_file, file_hash, month) of the rows of the file versions in
    ``changed`` (a relation with source_model, source_file, file_hash), and of the rows joined
    to them: a changed grain row's month goes to its own file and to the files of its coupled
    rows; a changed coupled row sends the months of the grain rows it joins to both files.
    ``every_version``: ``changed`` holds every loaded version (a full build), so the joins
    need no filter.
-#}
{% macro _increment_lineage_sql(spec, changed, every_version=false) -%}
    {%- set parts = [] -%}
    {%- set pairs_ctes = [] -%}
    {%- for grain in spec['grains'] -%}
        {%- set g = _increment_relation(grain['model']) -%}
        {%- set keys = grain['keys'] -%}
        {%- set gname = grain['model'] -%}
        {%- do parts.append(
            "select '" ~ gname ~ "' as source_model, g._source_file as source_file, g._file_hash as file_hash, "
            ~ increment_month('g.' ~ grain['date']) ~ " as month from " ~ g ~ " as g "
            ~ "where (g._source_file, g._file_hash) in (select source_file, file_hash from " ~ changed
            ~ " where source_model = '" ~ gname ~ "')") -%}
        {%- for coupled in grain.get('coupled', []) -%}
            {%- set c = _increment_relation(coupled['model']) -%}
            {%- set cname = coupled['model'] -%}
            {%- set on = [] -%}
            {%- for k in keys %}{% do on.append('g.' ~ k ~ ' = c.' ~ coupled['keys'][loop.index0]) %}{% endfor -%}
            {#- Two joins, each from one side's changed rows (a hash join built on the few
                changed rows), not one join of both whole histories filtered afterwards. -#}
            {%- set pair_columns = "select g._source_file as g_file, g._file_hash as g_hash, c._source_file as c_file, "
                ~ "c._file_hash as c_hash, " ~ increment_month('g.' ~ grain['date']) ~ " as month from " -%}
            {%- set g_changed = "(select * from " ~ g ~ " where (_source_file, _file_hash) in "
                ~ "(select source_file, file_hash from " ~ changed ~ " where source_model = '" ~ gname ~ "'))" -%}
            {%- set c_changed = "(select * from " ~ c ~ " where (_source_file, _file_hash) in "
                ~ "(select source_file, file_hash from " ~ changed ~ " where source_model = '" ~ cname ~ "'))" -%}
            {%- if every_version -%}
            {%- set pairs = pair_columns ~ g ~ " as g inner join " ~ c ~ " as c on " ~ on | join(' and ') -%}
            {%- else -%}
            {%- set pairs = pair_columns ~ g_changed ~ " as g inner join " ~ c ~ " as c on " ~ on | join(' and ')
                ~ " union all " ~ pair_columns ~ g ~ " as g inner join " ~ c_changed ~ " as c on " ~ on | join(' and ') -%}
            {%- endif -%}
            {%- set pair_name = 'pairs_' ~ (pairs_ctes | length) -%}
            {%- do pairs_ctes.append(pair_name ~ " as materialized (" ~ pairs ~ ")") -%}
            {%- do parts.append("select '" ~ gname ~ "', g_file, g_hash, month from " ~ pair_name) -%}
            {%- do parts.append("select '" ~ cname ~ "', c_file, c_hash, month from " ~ pair_name) -%}
        {%- endfor -%}
    {%- endfor -%}
    {% if pairs_ctes -%}
    with {{ pairs_ctes | join(',\n') }}
    {% endif -%}
    select distinct * from (
    {{ parts | join('\nunion all\n') }}
    )
{%- endmacro %}

{#- What a change of forces a full rebuild: the code of the fact and of everything upstream,
    the vars, and the content of the masters every row looks up. -#}
{% macro _increment_fingerprint(spec) -%}
    {%- set seen = [] -%}
    {%- set todo = [model.unique_id] -%}
    {%- set checksums = [] -%}
    {%- for _ in range(1000) if todo -%}
        {%- set uid = todo.pop() -%}
        {%- if uid not in seen -%}
            {%- do seen.append(uid) -%}
            {%- set node = graph.nodes.get(uid) or graph.sources.get(uid) -%}
            {%- if node is not none -%}
                {%- do checksums.append(uid ~ '=' ~ (node.get('checksum', {}).get('checksum', '') if node.get('checksum') else '')) -%}
                {%- for parent in node.get('depends_on', {}).get('nodes', []) %}{% do todo.append(parent) %}{% endfor -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set masters = [] -%}
    {%- for name in spec.get('masters', []) -%}
        {%- set rel = _increment_relation(name) -%}
        {%- set row = run_query("select coalesce(md5(string_agg(cast(t as varchar), '|' order by cast(t as varchar))), '') from (select * exclude (_source_file, _file_hash) from " ~ rel ~ ") as t").rows[0] -%}
        {%- do masters.append(name ~ '=' ~ row[0]) -%}
    {%- endfor -%}
    {%- set text = (checksums | sort | join(',')) ~ '|' ~ tojson(var('provided_sources', 'all')) ~ '|' ~ (masters | join(',')) -%}
    {{- return(local_md5(text)) -}}
{%- endmacro %}

{#- ``to_end: {model, date}`` (a fact whose months depend on one another: a series' first
    month, the last date of data): the months touched widen to every month from the earliest
    touched one, or the last month of data (as built before, or as loaded now: ``date``'s
    latest in ``model``), to the latest of those; the month of undated rows stays as it is. -#}
{% macro _increment_span_to_end_sql(spec) -%}
    , data_end as (
        select {{ increment_month('max(' ~ spec['to_end']['date'] ~ ')') }} as month
        from {{ _increment_relation(spec['to_end']['model']) }}
        where {{ spec['to_end']['date'] }} is not null
    ),
    built_end as (
        select max({{ spec['date_column'] }}) as month from {{ this }}
    ),
    dated as (
        select month from touched where month > date '0001-01-01'
    ),
    span as (
        select
            least((select min(month) from dated), (select month from data_end), (select month from built_end)) as first_month,
            greatest((select max(month) from dated), (select month from data_end), (select month from built_end)) as last_month
        where exists (select 1 from dated)
    )
    select cast(unnest(generate_series(first_month, last_month, interval 1 month)) as date) as month
    from span
    union
    select month from touched where month = date '0001-01-01'
{%- endmacro %}

{% macro increment_prepare() -%}
    {%- if target.type != 'duckdb' or not execute -%}
        select 1
    {%- else -%}
    {%- set spec = _increment_spec() -%}
    {%- set fingerprint = _increment_fingerprint(spec) -%}
    create table if not exists {{ increment_state('files') }} (
        source_model varchar, source_file varchar, file_hash varchar, month date);
    create table if not exists {{ increment_state('meta') }} (fingerprint varchar);
    create or replace table {{ increment_state('versions') }} as {{ _increment_versions_sql(spec) }};
    {%- if is_incremental() %}
    {#- no state yet (a fact built as a table before it became incremental): rebuild all -#}
    {%- set meta = adapter.get_relation(database=this.database, schema='incremental_state',
        identifier=this.identifier ~ '__meta') -%}
    {%- set stored = run_query("select fingerprint from " ~ meta).rows if meta is not none else [] -%}
    {%- set same = stored | length == 1 and stored[0][0] == fingerprint %}
    create or replace table {{ increment_state('changed') }} as
        select * from {{ increment_state('versions') }}
        {% if same -%}
        except
        select distinct source_model, source_file, file_hash from {{ increment_state('files') }}
        {%- endif %};
    create or replace table {{ increment_state('pending') }} as
        {{ _increment_lineage_sql(spec, increment_state('changed')) }};
    create or replace table {{ increment_state('affected') }} as
        with touched as (
        select month from {{ increment_state('pending') }}
        union
        select month from {{ increment_state('files') }} as f
        where not exists (
            select 1 from {{ increment_state('versions') }} as v
            where v.source_model = f.source_model and v.source_file = f.source_file
            and v.file_hash = f.file_hash)
        {% if not same -%}
        union
        select distinct {{ increment_month(spec['date_column']) }} from {{ this }}
        {%- endif %}
        )
        {%- if spec.get('to_end') %}
        {{ _increment_span_to_end_sql(spec) }}
        {%- else %}
        select month from touched
        {%- endif %};
    set variable {{ _increment_variable('all') }} = (
        select count(*) > 0 from {{ increment_state('affected') }} where month = date '0001-01-01');
    set variable {{ _increment_variable('from') }} = (
        select min(month) from {{ increment_state('affected') }});
    set variable {{ _increment_variable('until') }} = (
        select cast(max(month) + interval 1 month as date) from {{ increment_state('affected') }});
    delete from {{ this }}
    where {{ increment_month(spec['date_column']) }} in (select month from {{ increment_state('affected') }})
    {%- else %}
    drop table if exists {{ increment_state('pending') }};
    {%- endif %}
    {%- endif -%}
{%- endmacro %}

{% macro increment_record() -%}
    {%- if target.type != 'duckdb' or not execute -%}
        select 1
    {%- else -%}
    {%- set spec = _increment_spec() -%}
    {#- is_incremental() is true here even after a first build (the table exists by now): the
        pending table, made by an incremental prepare only, tells which path this run took. -#}
    {%- set pending = run_query("select count(*) from duckdb_tables() where database_name = '"
        ~ this.database ~ "' and schema_name = 'incremental_state' and table_name = '"
        ~ this.identifier ~ "__pending'").rows[0][0] -%}
    {%- if pending > 0 %}
    delete from {{ increment_state('files') }} as f
    where not exists (
        select 1 from {{ increment_state('versions') }} as v
        where v.source_model = f.source_model and v.source_file = f.source_file
        and v.file_hash = f.file_hash);
    insert into {{ increment_state('files') }}
        select * from {{ increment_state('pending') }}
        except
        select * from {{ increment_state('files') }};
    drop table if exists {{ increment_state('changed') }};
    drop table if exists {{ increment_state('pending') }};
    {%- else %}
    create or replace table {{ increment_state('files') }} as
        {{ _increment_lineage_sql(spec, increment_state('versions'), every_version=true) }};
    {#- a full build rebuilt every month: the tests scoped to this run's months read them all -#}
    create or replace table {{ increment_state('affected') }} as
        select distinct {{ increment_month(spec['date_column']) }} as month from {{ this }};
    {%- endif %}
    delete from {{ increment_state('meta') }};
    insert into {{ increment_state('meta') }} values ('{{ _increment_fingerprint(spec) }}');
    {%- endif -%}
{%- endmacro %}
