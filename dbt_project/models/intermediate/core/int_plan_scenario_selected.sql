{#- The plan of record per cycle: which scenario the performance marts, the report and the
    published marts read as "the plan". For now the base plan of every cycle; the approval
    step replaces this with the latest approval for the cycle, else base. -#}
with

scenarios as (

    select * from {{ ref('dim_scenario') }}

),

final as (

    select
        cycle_month,
        scenario
    from scenarios
    where is_base

)

select * from final
