{#- The sales team's units per planning cycle x region x product line x target month: the
    groups its submissions are made at, summed once here. Read by int_consensus_allocated
    (spread over each group's series) and int_consensus_unallocated (groups no series takes). -#}
with

submissions as (

    select * from {{ ref('fct_sales_team_forecast') }}

),

final as (

    select
        planning_month as cycle_month,
        region,
        product_line,
        target_month,
        coalesce(sum(forecast_units), 0) as team_units
    from submissions
    group by planning_month, region, product_line, target_month

)

select * from final
