{#- The actual side of plan vs actual, per reviewed month x cell (sku x region x channel x the
    customer's tier): net units (shipped - returned) and net revenue recognised in the month
    (fct_revenue_lines, metric net_revenue). -#}
with

revenue_lines as (

    select * from {{ ref('fct_revenue_lines') }}

),

plan_months as (

    select * from {{ ref('int_plan_months') }}

),

customers as (

    select * from {{ ref('dim_customer') }}

),

final as (

    select
        plan_months.month,
        revenue_lines.sku,
        revenue_lines.region,
        revenue_lines.channel,
        customers.tier as customer_tier,
        sum(revenue_lines.shipped_qty - revenue_lines.returned_qty) as actual_units,
        sum(revenue_lines.net_revenue_amount) as actual_revenue
    from revenue_lines
    inner join plan_months
        on {{ month_start('revenue_lines.revenue_date') }} = plan_months.month
    left join customers
        on revenue_lines.customer_id = customers.customer_id
    group by
        plan_months.month, revenue_lines.sku, revenue_lines.region, revenue_lines.channel,
        customers.tier

)

select * from final
