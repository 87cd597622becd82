{#- Company-level actual against budget per month and calendar year to date
    (mart_budget_variance, level total), with operating profit = gross margin - opex (and its
    variance, as the mart computes it for the other measures) so the budget table's lines tie. -#}
with

variance as (

    select * from {{ ref('mart_budget_variance') }}
    where level = 'total'

),

measures as (

    select
        month,
        measure,
        budget,
        actual,
        variance,
        variance_pct,
        budget_ytd,
        actual_ytd,
        variance_ytd,
        variance_ytd_pct
    from variance

),

operating_profit_summed as (

    select
        month,
        'operating_profit' as measure,
        sum(case measure when 'gross_margin' then budget when 'opex' then -budget end) as budget,
        sum(case measure when 'gross_margin' then actual when 'opex' then -actual end) as actual,
        sum(case measure when 'gross_margin' then budget_ytd when 'opex' then -budget_ytd end)
            as budget_ytd,
        sum(case measure when 'gross_margin' then actual_ytd when 'opex' then -actual_ytd end)
            as actual_ytd
    from measures
    where measure in ('gross_margin', 'opex')
    group by month
    having count(distinct measure) = 2

),

operating_profit as (

    select
        month,
        measure,
        budget,
        actual,
        actual - budget as variance,
        (actual - budget) / nullif(abs(budget), 0) as variance_pct,
        budget_ytd,
        actual_ytd,
        actual_ytd - budget_ytd as variance_ytd,
        (actual_ytd - budget_ytd) / nullif(abs(budget_ytd), 0) as variance_ytd_pct
    from operating_profit_summed

),

unioned as (

    select * from measures
    union all
    select * from operating_profit

),

final as (

    select * from unioned

)

select * from final
