{#- Available capacity per cycle x scenario x production line x month: fct_capacity for 'base',
    times every matching capacity multiplier of the scenario (file order does not matter). A
    company without a capacity extract has no rows, whatever the scenario. -#}
{{ config(materialized="table") }}

with

capacity as (

    select * from {{ ref('fct_capacity') }}

),

scenarios as (

    select * from {{ ref('dim_scenario') }}

),

adjustments as (

    select * from {{ ref('stg_scenarios__adjustments') }}
    where adjustment_type = 'capacity'

),

cells as (

    select
        scenarios.cycle_month,
        scenarios.scenario,
        capacity.production_line,
        capacity.month,
        capacity.available_units
    from scenarios
    cross join capacity

),

factors as (

    select
        cells.cycle_month,
        cells.scenario,
        cells.production_line,
        cells.month,
        product(adj.multiplier) as capacity_multiplier
    from cells
    inner join adjustments as adj
        on cells.scenario = adj.scenario
        and cells.production_line = adj.production_line
        and {{ scenario_month_matches('adj', 'cells.month') }}
    group by all

),

final as (

    select
        cells.cycle_month,
        cells.scenario,
        cells.production_line,
        cells.month,
        case
            when factors.capacity_multiplier is null then cells.available_units
            else cells.available_units * factors.capacity_multiplier
        end as available_units
    from cells
    left join factors
        on cells.cycle_month = factors.cycle_month
        and cells.scenario = factors.scenario
        and cells.production_line = factors.production_line
        and cells.month = factors.month

)

select * from final
