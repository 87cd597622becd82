{#- The plan of record's demand of every cycle (int_plan_scenario_selected: the latest approval,
    else base): its units and net price factor from int_scenario_demand, with the base forecast's
    statistical units and sales-team flag (a scenario changes the plan, not the forecast behind
    it; NULL where the base forecast has no such series). -#}
with

scenario_demand as (

    select * from {{ ref('int_scenario_demand') }}

),

selected as (

    select * from {{ ref('int_plan_scenario_selected') }}

),

consensus_forecast as (

    select * from {{ ref('fct_consensus_forecast') }}

),

final as (

    select
        scenario_demand.cycle_month,
        scenario_demand.sku,
        scenario_demand.region,
        scenario_demand.channel,
        scenario_demand.target_month,
        scenario_demand.lag_months,
        scenario_demand.consensus_units,
        scenario_demand.price_multiplier,
        consensus_forecast.statistical_units,
        consensus_forecast.is_sales_team_submitted
    from scenario_demand
    inner join selected
        on scenario_demand.cycle_month = selected.cycle_month
        and scenario_demand.scenario = selected.scenario
    left join consensus_forecast
        on scenario_demand.cycle_month = consensus_forecast.cycle_month
        and scenario_demand.sku = consensus_forecast.sku
        and scenario_demand.region = consensus_forecast.region
        and scenario_demand.channel = consensus_forecast.channel
        and scenario_demand.target_month = consensus_forecast.target_month

)

select * from final
