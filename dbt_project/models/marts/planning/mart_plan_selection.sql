{#- One row per cycle: the scenario that is "the plan" (int_plan_scenario_selected) with the
    approval behind it, if any. The published plan marts hold this scenario's rows. -#}
with

selected as (

    select * from {{ ref('int_plan_scenario_selected') }}

),

approvals as (

    select * from {{ ref('int_plan_approvals_ranked') }}

),

approval_counts as (

    select
        cycle_month,
        count(*) as approvals_count
    from approvals
    group by cycle_month

),

final as (

    select
        selected.cycle_month,
        selected.scenario,
        selected.selection,
        selected.selection = 'approved' as is_approved,
        selected.approval_id,
        approvals.approved_by,
        cast(approvals.approved_at as {{ dbt.type_timestamp() }}) as approved_at,
        approvals.note,
        cast(coalesce(approval_counts.approvals_count, 0) as integer) as approvals_count
    from selected
    left join approvals
        on selected.approval_id = approvals.approval_id
    left join approval_counts
        on selected.cycle_month = approval_counts.cycle_month

)

select * from final
