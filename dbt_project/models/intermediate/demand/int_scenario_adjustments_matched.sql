{#- Every demand-side scenario adjustment (demand, demand_quantile, price, discount) matched
    to the consensus cells it applies to: one row per cycle x scenario x series x target month
    x matching adjustment, by product line, region, channel, sku and month (macros
    scenario_filter_matches, scenario_month_matches). price_factor is a price or discount
    change's net price factor: 1 + change_pct, or 1 - discount points x list price / expected
    net price (NULL without an expected net price). Base has no adjustments, so no rows. -#}
with

consensus as (

    select * from {{ ref('fct_consensus_forecast') }}

),

prices as (

    select * from {{ ref('mart_expected_net_prices') }}

),

scenarios as (

    select * from {{ ref('dim_scenario') }}
    where not is_base

),

adjustments as (

    select * from {{ ref('stg_scenarios__adjustments') }}
    where adjustment_type in ('demand', 'demand_quantile', 'price', 'discount')

),

cells as (

    select
        scenarios.scenario,
        consensus.*
    from consensus
    inner join scenarios
        on consensus.cycle_month = scenarios.cycle_month

),

final as (

    select
        cells.cycle_month,
        cells.scenario,
        cells.sku,
        cells.region,
        cells.channel,
        cells.target_month,
        adj.adjustment_index,
        adj.adjustment_type,
        adj.multiplier,
        adj.change_units,
        adj.quantile,
        adj.elasticity,
        case
            when adj.adjustment_type = 'price' then 1 + adj.price_change_pct
            when adj.adjustment_type = 'discount'
                then 1 - adj.discount_points * prices.list_price
                    / nullif(prices.expected_net_price, 0)
        end as price_factor
    from cells
    inner join adjustments as adj
        on cells.scenario = adj.scenario
        and {{ scenario_filter_matches('adj', 'product_line', 'cells.product_line') }}
        and {{ scenario_filter_matches('adj', 'region', 'cells.region') }}
        and {{ scenario_filter_matches('adj', 'channel', 'cells.channel') }}
        and {{ scenario_filter_matches('adj', 'sku', 'cells.sku') }}
        and {{ scenario_month_matches('adj', 'cells.target_month') }}
    left join prices
        on cells.cycle_month = prices.cycle_month
        and cells.sku = prices.sku
        and cells.region = prices.region
        and cells.channel = prices.channel

)

select * from final
