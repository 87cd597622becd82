{#- Naive, statistical and consensus forecast side by side per cycle x series x target month,
    plus a P10-P90 range around the consensus. The range is the statistical interval scaled to
    the consensus level: consensus_p10 = p10 x consensus / statistical (same for p90), so the
    consensus keeps the statistical model's relative uncertainty. Where the statistical forecast
    is zero the interval is shifted instead: consensus_pXX = pXX + (consensus - statistical),
    floored at zero. Either way consensus_p10 <= consensus <= consensus_p90. -#}
with

consensus as (

    select * from {{ ref('int_consensus_allocated') }}

),

forecast as (

    select * from {{ ref('fct_forecast') }}

),

products as (

    select * from {{ ref('dim_product') }}

),

joined as (

    select
        consensus.cycle_month,
        consensus.sku,
        products.product_line,
        consensus.region,
        consensus.channel,
        consensus.target_month,
        consensus.lag,
        consensus.naive,
        consensus.statistical,
        consensus.consensus,
        consensus.sales_team_submitted,
        least(coalesce(forecast.p10_units, consensus.statistical), consensus.statistical) as p10,
        greatest(coalesce(forecast.p90_units, consensus.statistical), consensus.statistical)
            as p90
    from consensus
    left join forecast
        on consensus.cycle_month = forecast.cycle_month
        and consensus.sku = forecast.sku
        and consensus.region = forecast.region
        and consensus.channel = forecast.channel
        and consensus.target_month = forecast.target_month
    left join products
        on consensus.sku = products.sku

),

scaled as (

    select
        *,
        case
            when statistical > 0 then p10 * consensus / statistical
            else greatest(p10 + consensus - statistical, 0)
        end as consensus_p10,
        case
            when statistical > 0 then p90 * consensus / statistical
            else greatest(p90 + consensus - statistical, 0)
        end as consensus_p90
    from joined

),

final as (

    select
        {{ surrogate_key(['cycle_month', 'sku', 'region', 'channel', 'target_month']) }}
            as consensus_forecast_id,
        cast(cycle_month as date) as cycle_month,
        sku,
        product_line,
        region,
        channel,
        cast(target_month as date) as target_month,
        cast(lag as integer) as lag_months,
        cast(naive as double) as naive_units,
        cast(statistical as double) as statistical_units,
        cast(consensus as double) as consensus_units,
        cast(p10 as double) as statistical_p10_units,
        cast(p90 as double) as statistical_p90_units,
        cast(least(consensus_p10, consensus) as double) as consensus_p10_units,
        cast(greatest(consensus_p90, consensus) as double) as consensus_p90_units,
        cast(sales_team_submitted as boolean) as is_sales_team_submitted
    from scaled

)

select * from final
