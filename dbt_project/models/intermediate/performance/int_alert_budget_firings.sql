{#- The firings of alert rule budget_gap (seed alert_rules), one row per month x product line x
    region fired: year-to-date net revenue (mart_budget_variance) further than `threshold` from
    budget. -#}
with

budget_variance as (

    select * from {{ ref('mart_budget_variance') }}

),

rules as (

    select * from {{ ref('alert_rules') }}

),

final as (

    select
        'budget_gap' as rule,
        budget_variance.month,
        budget_variance.subject,
        budget_variance.product_line,
        budget_variance.region,
        abs(budget_variance.variance_ytd_pct) as figure,
        {{ dbt.concat([
            "'YTD net revenue '", "cast(budget_variance.actual_ytd as " ~ dbt.type_string() ~ ")",
            "' vs budget '", "cast(budget_variance.budget_ytd as " ~ dbt.type_string() ~ ")",
            "' ('", "case when budget_variance.variance_ytd_pct > 0 then '+' else '' end",
            "cast(round(budget_variance.variance_ytd_pct * 100, 1) as " ~ dbt.type_string() ~ ")",
            "'%)'"]) }} as figures,
        cast(budget_variance.actual_ytd as double) as evidence_1,
        cast(budget_variance.budget_ytd as double) as evidence_2,
        cast(budget_variance.variance_ytd_pct as double) as evidence_3,
        cast(null as double) as evidence_4,
        cast(null as date) as evidence_date,
        cast(null as {{ dbt.type_string() }}) as evidence_text
    from budget_variance
    inner join rules
        on rules.rule = 'budget_gap'
    where budget_variance.level = 'product_line_region'
        and budget_variance.measure = 'revenue'
        and abs(budget_variance.variance_ytd_pct) > rules.threshold

)

select * from final
