{#- The (cycle, scenario) runs requested, one row each. -#}
with

source as (

    select * from {{ source('scenarios', 'scenario_runs') }}

),

final as (

    select
        cast(cycle_month as date) as cycle_month,
        scenario,
        file,
        description,
        cast(loaded_at as timestamp) as loaded_at
    from source

)

select * from final
