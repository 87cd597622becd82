{#- The approval history: every approval ever recorded (audit.plan_approvals is append-only),
    with is_latest for the one in force for its cycle. -#}
with

approvals as (

    select * from {{ ref('int_plan_approvals_ranked') }}

),

final as (

    select
        approval_id,
        cycle_month,
        scenario,
        approved_by,
        cast(approved_at as {{ dbt.type_timestamp() }}) as approved_at,
        note,
        approval_rank = 1 as is_latest
    from approvals

)

select * from final
