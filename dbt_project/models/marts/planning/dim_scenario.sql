{#- The plans of each cycle: 'base' (the untouched plan) for every cycle the consensus forecast
    has, plus each scenario run for that cycle whose file is still present. -#}
with

consensus as (

    select * from {{ ref('fct_consensus_forecast') }}

),

runs as (

    select * from {{ ref('stg_scenarios__runs') }}

),

adjustments as (

    select * from {{ ref('stg_scenarios__adjustments') }}

),

cycles as (

    select distinct cycle_month
    from consensus

),

base as (

    select
        cycle_month,
        'base' as scenario,
        'The cycle''s plan without adjustments' as description,
        true as is_base
    from cycles

),

requested as (

    select
        runs.cycle_month,
        runs.scenario,
        runs.description,
        false as is_base
    from runs
    inner join cycles
        on runs.cycle_month = cycles.cycle_month
    where runs.scenario in (select scenario from adjustments)

),

final as (

    select
        cast(cycle_month as date) as cycle_month,
        scenario,
        description,
        is_base
    from base
    union all
    select
        cast(cycle_month as date) as cycle_month,
        scenario,
        description,
        is_base
    from requested

)

select * from final
