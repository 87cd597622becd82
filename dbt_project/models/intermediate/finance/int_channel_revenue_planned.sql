{#- Planned revenue per cycle x scenario x month x region x channel at P10 / P50 / P90 of
    consensus demand: the priced series of int_plan_series_priced (the scenario's units x the
    cycle's expected net price x the scenario's price multiplier) summed. What the cash flow
    plan collects. -#}
with

series as (

    select * from {{ ref('int_plan_series_priced') }}

),

final as (

    select
        cycle_month,
        scenario,
        month,
        region,
        channel,
        sum(units_p10 * expected_net_price) as revenue_p10,
        sum(units_p50 * expected_net_price) as revenue_p50,
        sum(units_p90 * expected_net_price) as revenue_p90
    from series
    group by cycle_month, scenario, month, region, channel

)

select * from final
