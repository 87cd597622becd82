{#- budget_gap exceptions per planning cycle x scenario x region x product line x budget year,
    in mart_sop_exceptions' shape before owner and severity: the plan's year-to-date revenue
    at the last horizon month of the budget year (mart_budget_gap) departs from the budget by
    more than budget_gap_pct; magnitude_pct = |gap| / budget. -#}
with

budget_gap as (

    select * from {{ ref('mart_budget_gap') }}

),

parameters as (

    select
        {{ parameter_value('budget_gap_pct') }}
    from {{ ref('planning_parameters') }}

),

budget_year_end as (

    select
        budget_gap.*,
        row_number() over (
            partition by
                budget_gap.cycle_month,
                budget_gap.scenario,
                budget_gap.product_line,
                budget_gap.region,
                budget_gap.budget_year
            order by budget_gap.month desc
        ) as month_rank,
        count(*)
            over (
                partition by
                    budget_gap.cycle_month,
                    budget_gap.scenario,
                    budget_gap.product_line,
                    budget_gap.region,
                    budget_gap.budget_year
            )
            as plan_months
    from budget_gap

),

final as (

    select
        budget_year_end.cycle_month,
        budget_year_end.scenario,
        'budget_gap' as exception_type,
        'sales' as owner_function,
        budget_year_end.region || ' / ' || budget_year_end.product_line || ' / '
        || cast(budget_year_end.budget_year as {{ dbt.type_string() }}) as subject,
        cast(null as {{ dbt.type_string() }}) as production_line,
        cast(null as {{ dbt.type_string() }}) as sku,
        budget_year_end.region,
        budget_year_end.product_line,
        {{ add_months('budget_year_end.month', '1 - budget_year_end.plan_months') }} as first_month,
        budget_year_end.month as last_month,
        budget_year_end.plan_months as months_affected,
        budget_year_end.ytd_units_p50 - budget_year_end.ytd_budget_units as units,
        budget_year_end.ytd_revenue_gap_p50 as amount,
        abs(budget_year_end.ytd_revenue_gap_pct) as magnitude_pct,
        parameters.budget_gap_pct as threshold_pct
    from budget_year_end
    cross join parameters
    where budget_year_end.month_rank = 1
        and abs(budget_year_end.ytd_revenue_gap_pct) > parameters.budget_gap_pct

)

select * from final
