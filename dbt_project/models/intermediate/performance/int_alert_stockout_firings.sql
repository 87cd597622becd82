{#- The firings of alert rule projected_stockout (seed alert_rules), one row per cycle x SKU fired:
    the cycle's supply plan of record (int_supply_plan_of_record) projects closing stock below zero within
    `threshold` months; figure = months ahead of the first such month (mart_alerts escalates at
    `escalation_threshold` months or nearer), with the backlog value at expected net price. -#}
with

supply_plan as (

    select * from {{ ref('int_supply_plan_of_record') }}

),

rules as (

    select * from {{ ref('alert_rules') }}

),

first_stockouts as (

    select
        supply_plan.cycle_month,
        supply_plan.sku,
        supply_plan.product_line,
        min(supply_plan.lag_months) as months_ahead,
        min(supply_plan.month) as stockout_month,
        sum(supply_plan.projected_backlog_units * supply_plan.expected_net_price)
            as revenue_at_risk
    from supply_plan
    inner join rules
        on rules.rule = 'projected_stockout'
    where supply_plan.projected_backlog_units > 0
        and supply_plan.lag_months <= rules.threshold
    group by supply_plan.cycle_month, supply_plan.sku, supply_plan.product_line

),

final as (

    select
        'projected_stockout' as rule,
        cycle_month as month,
        sku as subject,
        product_line,
        cast(null as {{ dbt.type_string() }}) as region,
        cast(months_ahead as double) as figure,
        {{ dbt.concat([
            "'stock projected below zero from '", "cast(stockout_month as " ~ dbt.type_string() ~ ")",
            "' ('", "cast(months_ahead as " ~ dbt.type_string() ~ ")",
            "' month(s) ahead); backlog value '", "cast(round(revenue_at_risk, 0) as " ~ dbt.type_string() ~ ")",
            "' CNY'"]) }} as figures,
        cast(months_ahead as double) as evidence_1,
        cast(revenue_at_risk as double) as evidence_2,
        cast(null as double) as evidence_3,
        cast(null as double) as evidence_4,
        cast(stockout_month as date) as evidence_date,
        cast(null as {{ dbt.type_string() }}) as evidence_text
    from first_stockouts

)

select * from final
