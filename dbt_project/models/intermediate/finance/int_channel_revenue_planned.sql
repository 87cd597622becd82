{#- Planned revenue per cycle x scenario x month x region x channel at P10 / P50 / P90 of
    consensus demand: the scenario's units (int_scenario_demand) x the cycle's expected net price
    (mart_expected_net_prices) x the scenario's price multiplier. What the cash flow plan
    collects. -#}
with

consensus as (

    select * from {{ ref('int_scenario_demand') }}

),

prices as (

    select * from {{ ref('mart_expected_net_prices') }}

),

final as (

    select
        consensus.cycle_month,
        consensus.scenario,
        consensus.target_month as month,
        consensus.region,
        consensus.channel,
        sum(consensus.consensus_p10_units * prices.expected_net_price * consensus.price_multiplier)
            as revenue_p10,
        sum(consensus.consensus_units * prices.expected_net_price * consensus.price_multiplier)
            as revenue_p50,
        sum(consensus.consensus_p90_units * prices.expected_net_price * consensus.price_multiplier)
            as revenue_p90
    from consensus
    inner join prices
        on consensus.cycle_month = prices.cycle_month
        and consensus.sku = prices.sku
        and consensus.region = prices.region
        and consensus.channel = prices.channel
    group by
        consensus.cycle_month, consensus.scenario, consensus.target_month, consensus.region,
        consensus.channel

)

select * from final
