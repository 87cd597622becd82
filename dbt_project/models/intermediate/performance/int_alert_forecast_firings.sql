{#- The firings of the forecast alert rules (seed alert_rules), one row per rule x subject x month
    fired, in the shape mart_alerts unions:
      a_item_forecast_error: lag-1 consensus WAPE of an A-class SKU (class of the forecasting
        cycle, mart_inventory_policy of the plan of record) above the threshold, for the target
        month;
      persistent_bias: lag-1 consensus bias of a product line x region with the same sign for
        `threshold` target months running. -#}
with

accuracy as (

    select * from {{ ref('mart_forecast_accuracy') }}

),

policy as (

    {#- the plan of record of each cycle (int_plan_scenario_selected), not every scenario -#}
    select plan_rows.*
    from {{ ref('mart_inventory_policy') }} as plan_rows
    inner join {{ ref('int_plan_scenario_selected') }} as selected
        on plan_rows.cycle_month = selected.cycle_month
        and plan_rows.scenario = selected.scenario

),

rules as (

    select * from {{ ref('alert_rules') }}

),

lag_one_consensus as (

    select *
    from accuracy
    where lag_months = 1 and method = 'consensus'

),

a_item_errors as (

    select
        'a_item_forecast_error' as rule,
        lag_one_consensus.target_month as month,
        lag_one_consensus.subject,
        policy.product_line,
        cast(null as {{ dbt.type_string() }}) as region,
        lag_one_consensus.wape as figure,
        {{ dbt.concat([
            "'lag-1 WAPE '", "cast(round(lag_one_consensus.wape * 100, 1) as " ~ dbt.type_string() ~ ")",
            "'% (band '", "cast(round(rules.threshold * 100, 1) as " ~ dbt.type_string() ~ ")",
            "'%); forecast '", "cast(round(lag_one_consensus.forecast_units, 0) as " ~ dbt.type_string() ~ ")",
            "' vs actual '", "cast(round(lag_one_consensus.actual_units, 0) as " ~ dbt.type_string() ~ ")",
            "' units'"]) }} as figures,
        cast(lag_one_consensus.wape as double) as evidence_1,
        cast(rules.threshold as double) as evidence_2,
        cast(lag_one_consensus.forecast_units as double) as evidence_3,
        cast(lag_one_consensus.actual_units as double) as evidence_4,
        cast(null as date) as evidence_date,
        cast(null as {{ dbt.type_string() }}) as evidence_text
    from lag_one_consensus
    inner join rules
        on rules.rule = 'a_item_forecast_error'
    inner join policy
        on lag_one_consensus.cycle_month = policy.cycle_month
        and lag_one_consensus.sku = policy.sku
    where lag_one_consensus.level = 'sku'
        and policy.abc_class = 'A'
        and lag_one_consensus.wape > rules.threshold

),

bias_signs as (

    select
        target_month as month,
        subject,
        product_line,
        region,
        bias,
        sign(bias) as bias_sign,
        row_number() over (partition by subject order by target_month)
        - row_number() over (partition by subject, sign(bias) order by target_month)
            as run_group
    from lag_one_consensus
    where level = 'product_line_region' and bias is not null

),

bias_runs as (

    select
        *,
        row_number() over (partition by subject, bias_sign, run_group order by month)
            as run_length
    from bias_signs

),

persistent_biases as (

    select
        'persistent_bias' as rule,
        bias_runs.month,
        bias_runs.subject,
        bias_runs.product_line,
        bias_runs.region,
        cast(bias_runs.run_length as double) as figure,
        {{ dbt.concat([
            "'lag-1 bias '", "case when bias_runs.bias > 0 then '+' else '' end",
            "cast(round(bias_runs.bias * 100, 1) as " ~ dbt.type_string() ~ ")",
            "'%; '", "case when bias_runs.bias > 0 then 'over' else 'under' end",
            "'-forecast '", "cast(bias_runs.run_length as " ~ dbt.type_string() ~ ")",
            "' months running'"]) }} as figures,
        cast(bias_runs.bias as double) as evidence_1,
        cast(bias_runs.run_length as double) as evidence_2,
        cast(null as double) as evidence_3,
        cast(null as double) as evidence_4,
        cast(null as date) as evidence_date,
        cast(null as {{ dbt.type_string() }}) as evidence_text
    from bias_runs
    inner join rules
        on rules.rule = 'persistent_bias'
    where bias_runs.bias_sign <> 0
        and bias_runs.run_length >= rules.threshold

),

final as (

    select * from a_item_errors
    union all
    select * from persistent_biases

)

select * from final
