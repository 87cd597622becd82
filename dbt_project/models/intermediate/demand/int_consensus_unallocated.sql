{#- The sales team's submissions a cycle's consensus could not place: region x product line x
    target month groups of a forecast cycle with no base series in that cycle's forecast (a
    product line the region never ordered, a month past the horizon). Kept visible, never
    silently dropped; the test assert_sales_team_submissions_allocated warns when any exist. -#}
with

forecast as (

    select * from {{ source('ml', 'forecast') }}

),

team_groups as (

    select * from {{ ref('int_sales_team_groups') }}

),

forecast_groups as (

    select distinct
        cast(cycle_month as date) as cycle_month,
        region,
        product_line,
        cast(target_month as date) as target_month
    from forecast

),

forecast_cycles as (

    select distinct cycle_month from forecast_groups

),

cycle_submissions as (

    select
        team_groups.cycle_month,
        team_groups.region,
        team_groups.product_line,
        team_groups.target_month,
        team_groups.team_units as forecast_units
    from team_groups
    inner join forecast_cycles
        on team_groups.cycle_month = forecast_cycles.cycle_month

),

final as (

    select cycle_submissions.*
    from cycle_submissions
    left join forecast_groups
        on cycle_submissions.cycle_month = forecast_groups.cycle_month
        and cycle_submissions.region = forecast_groups.region
        and cycle_submissions.product_line = forecast_groups.product_line
        and cycle_submissions.target_month = forecast_groups.target_month
    where forecast_groups.cycle_month is null

)

select * from final
