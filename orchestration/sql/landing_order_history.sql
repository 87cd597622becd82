-- The span of the order dates in landing files not loaded yet ($files: their paths).
-- Read as text; a value that is not a date is ignored here (ingestion quarantines it).
-- trim() keeps DuckDB from pushing the cast into the CSV reader as a strict cast.
with dates as (
    select try_cast(trim(order_date) as date) as order_date
    from read_csv($files, header = true, all_varchar = true, union_by_name = true)
)

select
    min(order_date) as first_order_date,
    max(order_date) as newest_order_date
from dates
