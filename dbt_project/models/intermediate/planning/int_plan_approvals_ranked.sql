{#- Every approval with its rank in its cycle (1 = the latest). audit.plan_approvals is created by
    the first approval (orchestration/approvals.py); until then there is none. -#}
{%- set approvals_relation = load_relation(source('audit', 'plan_approvals')) -%}
with

approvals as (

    {% if approvals_relation is not none -%}
    select
        approval_id,
        cycle_month,
        scenario,
        approved_by,
        approved_at,
        note
    from {{ source('audit', 'plan_approvals') }}
    {%- else -%}
        select
            cast(null as {{ dbt.type_string() }}) as approval_id,
            cast(null as date) as cycle_month,
            cast(null as {{ dbt.type_string() }}) as scenario,
            cast(null as {{ dbt.type_string() }}) as approved_by,
            cast(null as {{ dbt.type_timestamp() }}) as approved_at,
            cast(null as {{ dbt.type_string() }}) as note
        where 1 = 0
    {%- endif %}

),

final as (

    select
        *,
        row_number() over (
            partition by cycle_month
            order by approved_at desc, approval_id desc
        ) as approval_rank
    from approvals

)

select * from final
