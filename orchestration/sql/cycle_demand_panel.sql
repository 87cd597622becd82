-- Unconstrained demand (ordered units) per sku x region x channel x month,
-- as known at the end of the cycle month: nothing after $cycle_month. In no order:
-- the cycle groups by series itself, and a sort would hold the whole panel in memory.
select
    sku,
    product_line,
    region,
    channel,
    month,
    cast(ordered_units as double) as demand_units
from marts.fct_demand_monthly
where month <= $cycle_month
