with

budget_lines as (

    select * from {{ ref('stg_finance__budget_lines') }}

),

final as (

    select
        {{ surrogate_key(['month', 'product_line', 'region']) }} as budget_line_id,
        month,
        product_line,
        region,
        budget_units,
        cast(budget_revenue as decimal(18, 2)) as budget_revenue,
        cast(budget_cogs as decimal(18, 2)) as budget_cogs,
        cast(budget_revenue - budget_cogs as decimal(18, 2)) as budget_gross_margin,
        cast(budget_opex as decimal(18, 2)) as budget_opex
    from budget_lines

)

select * from final
