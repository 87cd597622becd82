-- Accuracy over every scored cycle by level, lag window and method, by the definitions of the
-- metrics on mart_forecast_accuracy (forecast_wape, forecast_accuracy, forecast_bias,
-- interval_coverage): sums over the level's slices, then the ratios.
with slices as (
    select
        level,
        method,
        lag_months,
        cycle_month,
        actual_units,
        abs_error_units,
        signed_error_units,
        interval_cells,
        interval_hits
    from marts.mart_forecast_accuracy
    where level in ('sku_region_channel', 'product_line_region', 'product_line', 'total')
),

windows as (
    select 'lag 1' as lag_window, * from slices where lag_months = 1
    union all
    select 'lags 1-6' as lag_window, * from slices
),

summed as (
    select
        level,
        lag_window,
        method,
        count(distinct cycle_month) as cycles,
        sum(abs_error_units) / nullif(sum(actual_units), 0) as wape,
        sum(signed_error_units) / nullif(sum(actual_units), 0) as bias,
        sum(interval_hits) / nullif(sum(interval_cells), 0) as interval_coverage
    from windows
    group by level, lag_window, method
)

select
    level,
    lag_window,
    method,
    cycles,
    wape,
    case when wape > 1 then 0 else 1 - wape end as forecast_accuracy,
    bias,
    interval_coverage
from summed
order by
    case level when 'total' then 1 when 'product_line' then 2 when 'product_line_region' then 3
        else 4 end,
    lag_window,
    case method when 'naive' then 1 when 'statistical' then 2 else 3 end
