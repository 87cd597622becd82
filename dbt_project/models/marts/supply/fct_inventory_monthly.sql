{#- Stock per SKU and month: closing = the last stock count in the month (summed over
    warehouses), opening = the previous month's closing, average = (opening + closing) / 2.
    inventory_value_years = average value x days observed / 365: summed over any period and
    divided into COGS it gives annualised inventory turns. -#}
with

inventory as (

    select * from {{ ref('int_inventory_valued') }}

),

sku_days as (

    select
        snapshot_date,
        {{ month_start('snapshot_date') }} as month,
        sku,
        product_line,
        sum(on_hand_qty) as on_hand_qty,
        sum(inventory_value) as inventory_value
    from inventory
    group by snapshot_date, sku, product_line

),

last_count_per_month as (

    select
        sku,
        month,
        max(snapshot_date) as closing_snapshot_date
    from sku_days
    group by sku, month

),

closing as (

    select
        sku_days.sku,
        sku_days.product_line,
        sku_days.month,
        sku_days.snapshot_date as closing_snapshot_date,
        sku_days.on_hand_qty as closing_on_hand_qty,
        sku_days.inventory_value as closing_inventory_value
    from sku_days
    inner join last_count_per_month
        on sku_days.sku = last_count_per_month.sku
        and sku_days.snapshot_date = last_count_per_month.closing_snapshot_date

),

with_opening as (

    select
        *,
        lag(closing_on_hand_qty) over (partition by sku order by month) as opening_on_hand_qty,
        lag(closing_inventory_value) over (partition by sku order by month)
            as opening_inventory_value,
        {{ dbt.datediff('month', 'closing_snapshot_date', 'day') }}         + 1 as days_observed
    from closing

),

final as (

    select
        {{ surrogate_key(['sku', 'month']) }} as inventory_month_id,
        sku,
        product_line,
        month,
        closing_snapshot_date,
        cast(coalesce(opening_on_hand_qty, closing_on_hand_qty) as integer) as opening_on_hand_qty,
        cast(closing_on_hand_qty as integer) as closing_on_hand_qty,
        cast(coalesce(opening_inventory_value, closing_inventory_value) as decimal(18, 2))
            as opening_inventory_value,
        cast(closing_inventory_value as decimal(18, 2)) as closing_inventory_value,
        cast(
            (coalesce(opening_inventory_value, closing_inventory_value) + closing_inventory_value) / 2
            as decimal(18, 2)
        ) as average_inventory_value,
        cast(days_observed as integer) as days_observed,
        cast(
            (coalesce(opening_inventory_value, closing_inventory_value) + closing_inventory_value)
            / 2 * days_observed / 365.0 as double
        ) as inventory_value_years
    from with_opening

)

select * from final
