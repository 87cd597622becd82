{#- The plan of each cycle that everything meaning "the plan" measures against: the latest
    approval of the cycle (int_plan_approvals_ranked), else base. An approved scenario that is no
    longer built for the cycle (its file deleted, dim_scenario) falls back to base, saying so in
    selection. -#}
with

scenarios as (

    select * from {{ ref('dim_scenario') }}

),

cycles as (

    select distinct cycle_month from scenarios

),

approvals as (

    select * from {{ ref('int_plan_approvals_ranked') }}
    where approval_rank = 1

),

built as (

    select distinct
        cycle_month,
        scenario
    from scenarios

),

final as (

    select
        cycles.cycle_month,
        case when built.scenario is not null then approvals.scenario else 'base' end as scenario,
        case when built.scenario is not null then approvals.approval_id end as approval_id,
        case
            when approvals.approval_id is null then 'base_not_approved'
            when built.scenario is null then 'base_approved_scenario_missing'
            else 'approved'
        end as selection
    from cycles
    left join approvals
        on cycles.cycle_month = approvals.cycle_month
    left join built
        on approvals.cycle_month = built.cycle_month
        and approvals.scenario = built.scenario

)

select * from final
