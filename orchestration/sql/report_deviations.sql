-- RetrospectiveInputs.deviations: plan vs actual of $month at every level, with the
-- price / volume / mix split and the likely cause.
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
    likely_cause_share
from marts.mart_plan_vs_actual
where month = $month
order by abs(revenue_variance) desc, level, subject
