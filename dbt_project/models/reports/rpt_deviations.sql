{#- Plan vs actual of every month at every level, as the retrospective's deviation tables read
    it: the variance against the plan (revenue_variance_pct: of the planned revenue), the price /
    volume / mix split, the causes of the variance (cause_*_amount, adding up to
    it) and, for the forecast-bias table, how far the consensus moved the statistical forecast
    (override_pct = consensus / statistical - 1) and each forecast's bias against actual units
    (forecast / actual - 1). -#}
with

plan_vs_actual as (

    select * from {{ ref('mart_plan_vs_actual') }}

),

final as (

    select
        month,
        level,
        subject,
        product_line,
        region,
        planned_revenue,
        actual_revenue,
        revenue_variance,
        cast(revenue_variance as double) / nullif(abs(planned_revenue), 0) as revenue_variance_pct,
        price_effect,
        volume_effect,
        mix_effect,
        likely_cause,
        likely_cause_share,
        cause_price_amount,
        cause_stockout_amount,
        cause_override_amount,
        cause_promotion_amount,
        cause_new_item_amount,
        cause_dying_item_amount,
        cause_forecast_error_amount,
        planned_units,
        statistical_units,
        actual_units,
        sales_team_units,
        planned_units / nullif(statistical_units, 0) - 1 as override_pct,
        statistical_units / nullif(actual_units, 0) - 1 as bias_statistical,
        planned_units / nullif(actual_units, 0) - 1 as bias_consensus,
        coalesce(sales_team_units, 0) > 0 as has_sales_team_units
    from plan_vs_actual

)

select * from final
