{#- Per reviewed month x slice of mart_plan_vs_actual (macro plan_vs_actual_levels): the largest
    increase and the largest decrease of one customer's net units (shipped - returned) in the
    month against its average month of the customer_baseline_months up to the cycle; what the
    big_customer_change cause reads. -#}
{%- set slices = plan_vs_actual_levels() -%}
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

products as (

    select * from {{ ref('dim_product') }}

),

parameters as (

    select {{ parameter_value('customer_baseline_months') }}
    from {{ ref('performance_parameters') }}

),

customer_sku_months as (

    select
        revenue_lines.customer_id,
        revenue_lines.sku,
        {{ month_start('revenue_lines.revenue_date') }} as month,
        sum(revenue_lines.shipped_qty - revenue_lines.returned_qty) as net_units
    from revenue_lines
    group by
        revenue_lines.customer_id, revenue_lines.sku,
        {{ month_start('revenue_lines.revenue_date') }}

),

customer_changes as (

    select
        plan_months.month,
        customer_sku_months.customer_id,
        customers.region,
        customers.channel,
        customers.tier as customer_tier,
        customer_sku_months.sku,
        products.product_line,
        sum(case when customer_sku_months.month = plan_months.month
                then customer_sku_months.net_units
            else 0
        end)
        - sum(case when customer_sku_months.month <= plan_months.cycle_month
                then customer_sku_months.net_units
            else 0
        end)
        / parameters.customer_baseline_months as unit_change
    from plan_months
    cross join parameters
    inner join customer_sku_months
        on customer_sku_months.month = plan_months.month
        or (
            customer_sku_months.month <= plan_months.cycle_month
            and customer_sku_months.month > {{ add_months('plan_months.cycle_month',
                '-1 * cast(parameters.customer_baseline_months as integer)') }}
        )
    left join customers
        on customer_sku_months.customer_id = customers.customer_id
    left join products
        on customer_sku_months.sku = products.sku
    group by
        plan_months.month, customer_sku_months.customer_id, customers.region,
        customers.channel, customers.tier, customer_sku_months.sku, products.product_line,
        parameters.customer_baseline_months

),

final as (

    {% for level, level_dimensions in slices.levels.items() %}
        select
            '{{ level }}' as level,
            {{ slices.subjects[level] }} as subject,
            month,
            max(unit_change) as largest_customer_increase,
            min(unit_change) as largest_customer_decrease
        from (
            select
                {% for dimension in level_dimensions %}{{ dimension }},{% endfor -%}
                
                month,
                customer_id,
                sum(unit_change) as unit_change
            from customer_changes
            group by
                {% for dimension in level_dimensions %}{{ dimension }}, {% endfor -%}
                month, customer_id
        ) as per_customer
        group by
            {% for dimension in level_dimensions %}{{ dimension }}, {% endfor -%}
            month
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from final
