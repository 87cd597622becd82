-- Product attributes the forecaster needs: life cycle dates and product line.
select
    sku,
    product_line,
    launch_date,
    discontinue_date
from marts.dim_product
order by sku
