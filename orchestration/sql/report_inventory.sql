-- RetrospectiveInputs.inventory: month-end stock against target by product line, up to $month.
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
order by month, product_line
