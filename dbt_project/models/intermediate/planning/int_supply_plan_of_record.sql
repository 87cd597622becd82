{#- The supply plan of record: the rows of mart_supply_plan of each cycle's selected scenario
    (int_plan_scenario_selected), not every what-if scenario. Read by int_alert_stockout_firings
    and int_alert_evaluated_months (mart_alerts); meant for mart_plan_vs_actual too. -#}
with

supply_plan as (

    select * from {{ ref('mart_supply_plan') }}

),

selected as (

    select * from {{ ref('int_plan_scenario_selected') }}

),

final as (

    select supply_plan.*
    from supply_plan
    inner join selected
        on supply_plan.cycle_month = selected.cycle_month
        and supply_plan.scenario = selected.scenario

)

select * from final
