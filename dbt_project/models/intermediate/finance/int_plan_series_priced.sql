{#- The financial plan's series: per planning cycle x scenario x target month x sku x region x
    channel, the scenario's consensus units at P10 / P50 / P90 (int_scenario_demand) with the
    cycle's expected net price (mart_expected_net_prices, times the scenario's price
    multiplier), standard cost and product line. A series without an expected net price is
    left out. -#}
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
        consensus.sku,
        prices.product_line,
        consensus.region,
        consensus.channel,
        consensus.lag_months,
        consensus.consensus_p10_units as units_p10,
        consensus.consensus_units as units_p50,
        consensus.consensus_p90_units as units_p90,
        prices.expected_net_price * consensus.price_multiplier as expected_net_price,
        prices.standard_cost
    from consensus
    inner join prices
        on consensus.cycle_month = prices.cycle_month
        and consensus.sku = prices.sku
        and consensus.region = prices.region
        and consensus.channel = prices.channel

)

select * from final
