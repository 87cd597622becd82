-- Every product line the company sells: the choices of the template's product-line column.
select distinct product_line
from marts.dim_product
where product_line is not null
order by product_line
