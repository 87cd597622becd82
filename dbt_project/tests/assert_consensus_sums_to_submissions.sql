{#- Every submitted region x product line x target month group of a cycle is placed in full: the
    consensus of its series sums to the sales team's units (within rounding). In Dagster, a
    check of int_consensus_allocated. -#}
{{ config(meta={'dagster': {'ref': {'name': 'int_consensus_allocated'}}}) }}
with

consensus as (

    select * from {{ ref('int_consensus_allocated') }}

),

submissions as (

    select * from {{ ref('fct_sales_team_forecast') }}

),

placed as (

    select
        cycle_month,
        region,
        product_line,
        target_month,
        sum(consensus) as consensus_units
    from consensus
    where sales_team_submitted
    group by cycle_month, region, product_line, target_month

),

submitted as (

    select
        planning_month,
        region,
        product_line,
        target_month,
        coalesce(sum(forecast_units), 0) as forecast_units
    from submissions
    group by planning_month, region, product_line, target_month

),

final as (

    select
        placed.cycle_month,
        placed.region,
        placed.product_line,
        placed.target_month,
        placed.consensus_units,
        submitted.forecast_units
    from placed
    inner join submitted
        on placed.cycle_month = submitted.planning_month
        and placed.region = submitted.region
        and placed.product_line = submitted.product_line
        and placed.target_month = submitted.target_month
    where abs(placed.consensus_units - submitted.forecast_units)
        > 1e-6 * greatest(1, submitted.forecast_units)

)

select * from final
