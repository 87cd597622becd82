-- RetrospectiveInputs.stockouts: SKUs of $month whose order lines were capped by a stock-out
-- (filled below the stockout_fill_rate_below share of ordered units).
select
    performance.month,
    performance.sku,
    products.product_line,
    performance.ordered_units,
    performance.filled_units as shipped_units
from marts.mart_plan_vs_actual as performance
left join marts.dim_product as products
    on performance.sku = products.sku
where performance.level = 'sku'
    and performance.month = $month
    and performance.stockout_sku_count > 0
order by performance.ordered_units - performance.filled_units desc, performance.sku
