-- RetrospectiveInputs.stockouts: the stock-out SKUs of $month (reports.rpt_stockouts).
select *
from reports.rpt_stockouts
where month = $month
order by unfilled_units desc, sku
