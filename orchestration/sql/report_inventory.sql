-- RetrospectiveInputs.inventory: month-end stock against target by product line, up to $month
-- (months with a stock count only: without inventory snapshots there is none).
select
    month,
    subject as product_line,
    on_hand_units,
    safety_stock_units,
    target_stock_units,
    days_of_supply,
    inventory_value,
    stockout_sku_count
from marts.mart_plan_vs_actual
where level = 'product_line'
    and month <= $month
    and on_hand_units is not null
order by month, product_line
