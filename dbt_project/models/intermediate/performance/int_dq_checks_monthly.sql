{#- The data-quality check results (audit.dq_results), each with its month and its recency
    within the month (1 = the month's latest run of that suite x table x check). No rows until
    the first data-quality run creates audit.dq_results. Read by int_alert_dq_firings and
    int_alert_evaluated_months. -#}
{%- set dq_relation = load_relation(source('audit', 'dq_results')) -%}
with

dq_results as (

    {% if dq_relation is not none -%}
    select
        suite,
        table_name,
        expectation,
        severity,
        success,
        unexpected_count,
        evaluated_at
    from {{ source('audit', 'dq_results') }}
    {%- else -%}
        select
            cast(null as {{ dbt.type_string() }}) as suite,
            cast(null as {{ dbt.type_string() }}) as table_name,
            cast(null as {{ dbt.type_string() }}) as expectation,
            cast(null as {{ dbt.type_string() }}) as severity,
            cast(null as boolean) as success,
            cast(null as bigint) as unexpected_count,
            cast(null as {{ dbt.type_timestamp() }}) as evaluated_at
        where 1 = 0
    {%- endif %}

),

final as (

    select
        *,
        {{ month_start('evaluated_at') }} as month,
        row_number() over (
            partition by suite, table_name, expectation, {{ month_start('evaluated_at') }}
            order by evaluated_at desc
        ) as recency
    from dq_results

)

select * from final
