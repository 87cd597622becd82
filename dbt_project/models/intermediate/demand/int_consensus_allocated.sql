{#- The consensus demand plan of every cycle: the sales team's region x product line x target
    month units spread over the cycle's base series (sku x region x channel). Within a submitted
    group a series' share is its statistical P50 over the group's; where the P50s sum to zero,
    its naive forecast over the group's; where that is zero too, an even split. Groups the team
    did not submit keep the statistical forecast. Submissions no series can take are listed by
    int_consensus_unallocated. Built as ml.consensus_forecast, the relation the forecasting
    stage used to write, so queries of that name keep working. -#}
{{ config(schema='ml', alias='consensus_forecast') }}

with

forecast as (

    select * from {{ source('ml', 'forecast') }}

),

team_groups as (

    select * from {{ ref('int_sales_team_groups') }}

),

series_submitted as (

    select
        forecast.cycle_month,
        forecast.sku,
        forecast.product_line,
        forecast.region,
        forecast.channel,
        forecast.target_month,
        forecast.lag,
        forecast.naive,
        forecast.p50 as statistical,
        team_groups.team_units,
        team_groups.cycle_month is not null as sales_team_submitted
    from forecast
    left join team_groups
        on forecast.cycle_month = team_groups.cycle_month
        and forecast.region = team_groups.region
        and forecast.product_line = team_groups.product_line
        and forecast.target_month = team_groups.target_month

),

group_totals as (

    select
        *,
        sum(statistical) over allocation_group as statistical_total,
        sum(naive) over allocation_group as naive_total,
        count(*) over allocation_group as series_count
    from series_submitted
    window allocation_group as (partition by cycle_month, region, product_line, target_month)

),

shares as (

    select
        *,
        case
            when statistical_total > 0 then statistical / statistical_total
            when naive_total > 0 then coalesce(naive, 0) / naive_total
            else 1.0 / series_count
        end as consensus_share
    from group_totals

),

final as (

    select
        cycle_month,
        sku,
        product_line,
        region,
        channel,
        target_month,
        lag,
        naive,
        statistical,
        cast(
            case
                when sales_team_submitted then consensus_share * team_units
                else statistical
            end as double
        ) as consensus,
        sales_team_submitted
    from shares

)

select * from final
