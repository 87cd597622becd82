-- RetrospectiveInputs.inventory: month-end stock against target by product line, up to $month
-- (reports.rpt_inventory).
select *
from reports.rpt_inventory
where month <= $month
order by month, product_line
