-- The planning cycles whose statistical forecast is in the warehouse.
select distinct cycle_month
from ml.forecast
order by cycle_month
