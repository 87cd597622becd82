{#- Accuracy over every scored cycle by level, lag window (lag 1; lags 1-6) and method, for
    `sop` to print: the metrics of mart_forecast_accuracy (forecast_wape, forecast_bias,
    interval_coverage: sums over the level's slices, then the ratios) over all cycles;
    forecast_accuracy is 1 - WAPE, floored at zero, as the mart defines it. -#}
with

slices as (

    select * from {{ ref('mart_forecast_accuracy') }}
    where level in ('sku_region_channel', 'product_line_region', 'product_line', 'total')

),

windows as (

    select
        'lag 1' as lag_window,
        *
    from slices
    where lag_months = 1
    union all
    select
        'lags 1-6' as lag_window,
        *
    from slices

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

),

final as (

    select
        level,
        case level
            when 'total' then 1 when 'product_line' then 2 when 'product_line_region' then 3
            else 4
        end as level_order,
        lag_window,
        method,
        case method when 'naive' then 1 when 'statistical' then 2 else 3 end as method_order,
        cycles,
        wape,
        case when wape > 1 then 0 else 1 - wape end as forecast_accuracy,
        bias,
        interval_coverage
    from summed

)

select * from final
