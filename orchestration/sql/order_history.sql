-- The span of the loaded order history: first and newest order date.
select
    min(order_date) as first_order_date,
    max(order_date) as newest_order_date
from raw.order_lines
