-- RetrospectiveInputs.deviations: plan vs actual of $month at every level, with the
-- price / volume / mix split, the attribution of the variance to its causes (cause_*_amount,
-- adding up to it) and the likely cause; units for the forecast-bias table.
select
    month,
    level,
    subject,
    planned_revenue,
    actual_revenue,
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
    product_line,
    region
from marts.mart_plan_vs_actual
where month = $month
order by abs(revenue_variance) desc, level, subject
