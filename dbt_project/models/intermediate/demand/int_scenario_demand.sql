{#- Consensus demand per cycle x scenario x series x target month: the one place the demand-side
    adjustments apply (matched to their cells by int_scenario_adjustments_matched). 'base' is
    fct_consensus_forecast untouched. A scenario's units are, per series and month: the
    consensus at the chosen quantile (demand_quantile: p10 / p50 / p90, the last matching one
    wins) x every matching demand multiplier x the volume effect of every
    matching price or discount change (1 + elasticity x price change), plus every matching
    absolute change (change_units a month, spread over the matching series in proportion to their
    units, equally where they have none), floored at zero. The P10-P90 band follows the level as
    fct_consensus_forecast scales it (ratio to the consensus; shifted where the consensus is 0).
    price_multiplier is the net price factor (1 + change_pct; a discount of d points off list
    price is 1 - d x list / expected net price) the revenue of the plan marts applies. -#}
{{ config(materialized="table") }}

with

consensus as (

    select * from {{ ref('fct_consensus_forecast') }}

),

scenarios as (

    select * from {{ ref('dim_scenario') }}
    where not is_base

),

matched as (

    select * from {{ ref('int_scenario_adjustments_matched') }}

),

cells as (

    select
        scenarios.scenario,
        consensus.*
    from consensus
    inner join scenarios
        on consensus.cycle_month = scenarios.cycle_month

),

factors as (

    select
        cycle_month,
        scenario,
        sku,
        region,
        channel,
        target_month,
        arg_max(quantile, adjustment_index) filter (where adjustment_type = 'demand_quantile')
            as quantile,
        coalesce(product(
            multiplier) filter (
            where adjustment_type = 'demand'
            and multiplier is not null
        ), 1) as demand_multiplier,
        coalesce(
            product(1 + elasticity * (coalesce(price_factor, 1) - 1))
            filter (where adjustment_type in ('price', 'discount')), 1
        ) as volume_multiplier,
        coalesce(
            product(coalesce(price_factor, 1))
            filter (where adjustment_type in ('price', 'discount')), 1
        ) as price_multiplier
    from matched
    group by cycle_month, scenario, sku, region, channel, target_month

),

levelled as (

    select
        cells.*,
        coalesce(factors.price_multiplier, 1) as price_multiplier,
        case coalesce(factors.quantile, 'p50')
            when 'p10' then cells.consensus_p10_units
            when 'p90' then cells.consensus_p90_units
            else cells.consensus_units
        end * coalesce(factors.demand_multiplier, 1) * coalesce(factors.volume_multiplier, 1)
            as level_units
    from cells
    left join factors
        on cells.cycle_month = factors.cycle_month
        and cells.scenario = factors.scenario
        and cells.sku = factors.sku
        and cells.region = factors.region
        and cells.channel = factors.channel
        and cells.target_month = factors.target_month

),

change_shares as (

    select
        matched.cycle_month,
        matched.scenario,
        matched.sku,
        matched.region,
        matched.channel,
        matched.target_month,
        matched.change_units * coalesce(
            levelled.level_units / nullif(sum(levelled.level_units) over slice_month, 0),
            1.0 / count(*) over slice_month
        ) as change_units
    from matched
    inner join levelled
        on matched.cycle_month = levelled.cycle_month
        and matched.scenario = levelled.scenario
        and matched.sku = levelled.sku
        and matched.region = levelled.region
        and matched.channel = levelled.channel
        and matched.target_month = levelled.target_month
    where matched.adjustment_type = 'demand' and matched.change_units is not null
    window slice_month as (
        partition by
            matched.cycle_month, matched.scenario, matched.adjustment_index,
            matched.target_month
    )

),

absolute_changes as (

    select
        cycle_month,
        scenario,
        sku,
        region,
        channel,
        target_month,
        sum(change_units) as change_units
    from change_shares
    group by cycle_month, scenario, sku, region, channel, target_month

),

adjusted as (

    select
        levelled.*,
        greatest(levelled.level_units + coalesce(absolute_changes.change_units, 0), 0)
            as scenario_units
    from levelled
    left join absolute_changes
        on levelled.cycle_month = absolute_changes.cycle_month
        and levelled.scenario = absolute_changes.scenario
        and levelled.sku = absolute_changes.sku
        and levelled.region = absolute_changes.region
        and levelled.channel = absolute_changes.channel
        and levelled.target_month = absolute_changes.target_month

),

banded as (

    select
        *,
        case
            when consensus_units > 0 then consensus_p10_units * scenario_units / consensus_units
            else greatest(consensus_p10_units + scenario_units - consensus_units, 0)
        end as scenario_p10_units,
        case
            when consensus_units > 0 then consensus_p90_units * scenario_units / consensus_units
            else greatest(consensus_p90_units + scenario_units - consensus_units, 0)
        end as scenario_p90_units
    from adjusted

),

final as (

    select
        cycle_month,
        'base' as scenario,
        sku,
        product_line,
        region,
        channel,
        target_month,
        lag_months,
        statistical_units,
        consensus_units,
        consensus_p10_units,
        consensus_p90_units,
        cast(1 as double) as price_multiplier
    from consensus
    union all
    select
        cycle_month,
        scenario,
        sku,
        product_line,
        region,
        channel,
        target_month,
        lag_months,
        statistical_units,
        cast(scenario_units as double) as consensus_units,
        cast(least(scenario_p10_units, scenario_units) as double) as consensus_p10_units,
        cast(greatest(scenario_p90_units, scenario_units) as double) as consensus_p90_units,
        cast(price_multiplier as double) as price_multiplier
    from banded

)

select * from final
