-- Promotion depth per sku x region x month (the day-weighted average depth over
-- the month), history and horizon: promotions are planned in advance, so the
-- calendar covers future months. Months without a promotion have no row (depth 0).
select
    sku,
    region,
    date_trunc('month', promo_date)::date as month,
    sum(discount_depth) / max(day(last_day(promo_date))) as promo_depth
from intermediate.int_promotion_days_expanded
where promo_date < ($cycle_month::date + interval 19 month)
group by all
order by sku, region, month
