{#- The sales team's forecast workbooks, normalised: one row per submitting region x
    planning month x product line x target month. lag_months = months from the planning
    month to the target month (1 = next month). -#}
with

submissions as (

    select * from {{ ref('stg_sales_input__forecast_submissions') }}

),

final as (

    select
        {{ surrogate_key(['region', 'planning_month', 'product_line', 'target_month']) }}
            as sales_team_forecast_id,
        region,
        planning_month,
        product_line,
        target_month,
        cast(                        {{ dbt.datediff('planning_month', 'target_month', 'month') }} as integer
        )
            as lag_months,
        forecast_units
    from submissions

)

select * from final
