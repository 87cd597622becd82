{#- Actual against budget per month, for revenue, COGS, gross margin and opex, with year to date.
    level 'total': the general ledger (fct_gl_actuals: revenue = revenue accounts incl. returns,
    cogs, opex = opex + freight accounts, gross margin = revenue - cogs) against the whole budget.
    level 'product_line_region': the revenue ledger (metrics net_revenue, cogs and gross_margin,
    fct_revenue_lines) against the budget lines of that product line x region; opex is budgeted
    there but not booked by product line, so it is shown at total level only.
    Year to date sums the months of the calendar year up to the month, over months with an
    actual (a month without posted actuals has none and does not count in YTD budget either).
    Empty unless capability budget_variance has its sources (dbt_project.yml vars). -#}
{%- set measures = ['revenue', 'cogs', 'gross_margin', 'opex'] -%}
with

gl_actuals as (

    select * from {{ ref('fct_gl_actuals') }}

),

budget as (

    select * from {{ ref('fct_budget') }}

),

revenue_lines as (

    select * from {{ ref('fct_revenue_lines') }}

),

gl_monthly as (

    select
        month,
        sum(case when account_type = 'revenue' then amount else 0 end) as revenue,
        sum(case when account_type = 'cogs' then amount else 0 end) as cogs,
        sum(case when account_type in ('opex', 'freight') then amount else 0 end) as opex
    from gl_actuals
    group by month

),

gl_margins as (

    select
        *,
        revenue - cogs as gross_margin
    from gl_monthly

),

ledger_monthly as (

    select
        {{ month_start('revenue_date') }} as month,
        product_line,
        region,
        sum(net_revenue_amount) as revenue,
        sum(cogs_amount) as cogs,
        sum(gross_margin_amount) as gross_margin
    from revenue_lines
    group by {{ month_start('revenue_date') }}, product_line, region

),

last_actual_month as (

    select max(month) as month
    from gl_monthly

),

total_level as (

    select
        'total' as level,
        'Total' as subject,
        cast(null as {{ dbt.type_string() }}) as product_line,
        cast(null as {{ dbt.type_string() }}) as region,
        budget_totals.month,
        budget_totals.budget_revenue,
        budget_totals.budget_cogs,
        budget_totals.budget_gross_margin,
        budget_totals.budget_opex,
        gl_margins.revenue as actual_revenue,
        gl_margins.cogs as actual_cogs,
        gl_margins.gross_margin as actual_gross_margin,
        gl_margins.opex as actual_opex
    from (
        select
            month,
            sum(budget_revenue) as budget_revenue,
            sum(budget_cogs) as budget_cogs,
            sum(budget_gross_margin) as budget_gross_margin,
            sum(budget_opex) as budget_opex
        from budget
        group by month
    ) as budget_totals
    left join gl_margins
        on budget_totals.month = gl_margins.month

),

product_line_region_level as (

    select
        'product_line_region' as level,
        {{ dbt.concat(['budget.product_line', "' · '", 'budget.region']) }} as subject,
        budget.product_line,
        budget.region,
        budget.month,
        budget.budget_revenue,
        budget.budget_cogs,
        budget.budget_gross_margin,
        budget.budget_opex,
        case when budget.month <= last_actual_month.month
                then coalesce(ledger_monthly.revenue, 0)
        end as actual_revenue,
        case when budget.month <= last_actual_month.month
                then coalesce(ledger_monthly.cogs, 0)
        end as actual_cogs,
        case when budget.month <= last_actual_month.month
                then coalesce(ledger_monthly.gross_margin, 0)
        end as actual_gross_margin,
        cast(null as decimal(18, 2)) as actual_opex
    from budget
    cross join last_actual_month
    left join ledger_monthly
        on budget.month = ledger_monthly.month
        and budget.product_line = ledger_monthly.product_line
        and budget.region = ledger_monthly.region

),

both_levels as (

    select * from total_level
    union all
    select * from product_line_region_level

),

measured as (

    {% for measure in measures %}
        select
            level,
            subject,
            product_line,
            region,
            month,
            '{{ measure }}' as measure,
            budget_{{ measure }} as budget,
            actual_{{ measure }} as actual
        from both_levels
        {% if measure == 'opex' %}where level = 'total'{% endif %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

year_to_date as (

    select
        *,
        sum(case when actual is not null then budget end) over (
            partition by level, subject, measure, {{ dbt.date_trunc('year', 'month') }}
            order by month
            rows between unbounded preceding and current row
        ) as budget_ytd,
        sum(actual) over (
            partition by level, subject, measure, {{ dbt.date_trunc('year', 'month') }}
            order by month
            rows between unbounded preceding and current row
        ) as actual_ytd
    from measured

),

final as (

    select
        {{ surrogate_key(['month', 'level', 'subject', 'measure']) }} as budget_variance_id,
        month,
        level,
        subject,
        product_line,
        region,
        measure,
        cast(budget as decimal(18, 2)) as budget,
        cast(actual as decimal(18, 2)) as actual,
        cast(actual - budget as decimal(18, 2)) as variance,
        cast((actual - budget) / nullif(budget, 0) as double) as variance_pct,
        cast(case when actual is not null then budget_ytd end as decimal(18, 2)) as budget_ytd,
        cast(case when actual is not null then actual_ytd end as decimal(18, 2)) as actual_ytd,
        cast(case when actual is not null then actual_ytd - budget_ytd end as decimal(18, 2))
            as variance_ytd,
        cast(
            case when actual is not null then (actual_ytd - budget_ytd) / nullif(budget_ytd, 0) end
            as double
        ) as variance_ytd_pct
    from year_to_date
    where {{ capability_available('budget_variance') }}

)

select * from final
