-- Every row of {table} once per copy; copy 0 keeps its SKUs, copy c renames them <sku>~c.
select
    original.* replace (
        case
            when copy.range = 0 then original.sku
            else original.sku || '~' || cast(copy.range as varchar)
        end as sku
    )
from {table} as original
cross join range(cast($copies as bigint)) as copy
