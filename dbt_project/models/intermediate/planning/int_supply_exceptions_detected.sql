{#- The supply side's S&OP exceptions per planning cycle x scenario, in mart_sop_exceptions'
    shape before owner and severity: capacity_shortfall per production line (the months it
    cannot make what the plan requires; its product line the one with the most revenue at
    risk) and below_safety_stock per SKU (the months its projected stock falls below its
    safety stock). magnitude_pct: shortfall / requirement of the short months, the worst
    breach / safety stock. -#}
with

supply_plan as (

    select * from {{ ref('mart_supply_plan') }}

),

line_product_risk as (

    select
        cycle_month,
        scenario,
        production_line,
        product_line,
        sum(revenue_at_risk) as revenue_at_risk,
        row_number() over (
            partition by cycle_month, scenario, production_line
            order by sum(revenue_at_risk) desc, product_line
        ) as risk_rank
    from supply_plan
    where shortfall_units > 0
    group by cycle_month, scenario, production_line, product_line

),

line_months as (

    select
        cycle_month,
        scenario,
        production_line,
        month,
        sum(required_production_units) as required_units,
        sum(shortfall_units) as shortfall_units,
        sum(revenue_at_risk) as revenue_at_risk
    from supply_plan
    group by cycle_month, scenario, production_line, month

),

capacity_shortfalls as (

    select
        line_months.cycle_month,
        line_months.scenario,
        'capacity_shortfall' as exception_type,
        'supply' as owner_function,
        line_months.production_line as subject,
        line_months.production_line,
        cast(null as {{ dbt.type_string() }}) as sku,
        cast(null as {{ dbt.type_string() }}) as region,
        max(line_product_risk.product_line) as product_line,
        min(line_months.month) as first_month,
        max(line_months.month) as last_month,
        count(*) as months_affected,
        sum(line_months.shortfall_units) as units,
        sum(line_months.revenue_at_risk) as amount,
        sum(line_months.shortfall_units) / nullif(sum(line_months.required_units), 0)
            as magnitude_pct,
        cast(null as double) as threshold_pct
    from line_months
    inner join line_product_risk
        on line_months.cycle_month = line_product_risk.cycle_month
        and line_months.scenario = line_product_risk.scenario
        and line_months.production_line = line_product_risk.production_line
        and line_product_risk.risk_rank = 1
    where line_months.shortfall_units > 0
    group by line_months.cycle_month, line_months.scenario, line_months.production_line

),

stock_breaches as (

    select
        cycle_month,
        scenario,
        'below_safety_stock' as exception_type,
        'supply' as owner_function,
        sku as subject,
        max(production_line) as production_line,
        sku,
        cast(null as {{ dbt.type_string() }}) as region,
        max(product_line) as product_line,
        min(month) as first_month,
        max(month) as last_month,
        count(*) as months_affected,
        max(safety_stock_units - closing_stock_units) as units,
        max(greatest(-closing_stock_units, 0) * expected_net_price) as amount,
        max(safety_stock_units - closing_stock_units) / nullif(max(safety_stock_units), 0)
            as magnitude_pct,
        cast(null as double) as threshold_pct
    from supply_plan
    where is_below_safety_stock
    group by cycle_month, scenario, sku

),

final as (

    select * from capacity_shortfalls
    union all
    select * from stock_breaches

)

select * from final
