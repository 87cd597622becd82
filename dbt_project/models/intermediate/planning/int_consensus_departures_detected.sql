{#- consensus_vs_statistical exceptions per planning cycle x scenario x region x product
    line, in mart_sop_exceptions' shape before owner and severity: the consensus departs from
    the statistical forecast by more than consensus_band_pct over the first
    consensus_window_months; magnitude_pct = |consensus - statistical| / statistical, amount =
    the difference at the expected net price (and the scenario's price multiplier). -#}
with

consensus as (

    select * from {{ ref('int_scenario_demand') }}

),

prices as (

    select * from {{ ref('mart_expected_net_prices') }}

),

parameters as (

    select
        {{ parameter_value('consensus_band_pct') }},
        {{ parameter_value('consensus_window_months') }}
    from {{ ref('planning_parameters') }}

),

consensus_window as (

    select
        consensus.cycle_month,
        consensus.scenario,
        consensus.region,
        consensus.product_line,
        min(consensus.target_month) as first_month,
        max(consensus.target_month) as last_month,
        count(distinct consensus.target_month) as months_affected,
        sum(consensus.consensus_units) as consensus_units,
        sum(consensus.statistical_units) as statistical_units,
        sum(
            (consensus.consensus_units - consensus.statistical_units)
            * prices.expected_net_price * consensus.price_multiplier
        ) as revenue_difference,
        max(parameters.consensus_band_pct) as band_pct
    from consensus
    cross join parameters
    inner join prices
        on consensus.cycle_month = prices.cycle_month
        and consensus.sku = prices.sku
        and consensus.region = prices.region
        and consensus.channel = prices.channel
    where consensus.lag_months <= parameters.consensus_window_months
    group by consensus.cycle_month, consensus.scenario, consensus.region, consensus.product_line

),

final as (

    select
        cycle_month,
        scenario,
        'consensus_vs_statistical' as exception_type,
        'sales' as owner_function,
        region || ' / ' || product_line as subject,
        cast(null as {{ dbt.type_string() }}) as production_line,
        cast(null as {{ dbt.type_string() }}) as sku,
        region,
        product_line,
        first_month,
        last_month,
        months_affected,
        consensus_units - statistical_units as units,
        revenue_difference as amount,
        abs(consensus_units - statistical_units) / nullif(statistical_units, 0) as magnitude_pct,
        band_pct as threshold_pct
    from consensus_window
    where abs(consensus_units - statistical_units) > band_pct * statistical_units

)

select * from final
