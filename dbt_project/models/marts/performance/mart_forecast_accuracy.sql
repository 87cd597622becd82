{#- Forecast accuracy of every planning cycle at lags 1..accuracy_max_lag_months (6), for the
    naive, statistical and consensus forecasts, per slice of the business (level x subject). Errors are measured at the
    forecasting grain (sku x region x channel x month) against actual ordered units (demand;
    int_forecast_actual_cells, one row per method in int_forecast_errors), then summed over the
    series of the slice here:
      WAPE = sum |F - A| / sum A;  accuracy = 1 - WAPE;  bias = sum (F - A) / sum A;
      MASE = sum |F - A| / sum s, s = the series' in-sample seasonal-naive MAE
      (int_seasonal_naive_scales). Series without history at the cycle have no scale and are
      left out of MASE (not of WAPE).
    A series forecast but not ordered counts actual 0; a series ordered but not forecast counts
    forecast 0. Only complete target months are scored.
    FVA (forecast value added) = WAPE of the benchmark - WAPE of the method, benchmark = naive for
    the statistical forecast and statistical for the consensus: positive = the step helped.
    Accuracy = 1 - WAPE floored at 0 (a WAPE above 1 is no accuracy, not a negative one).
    Interval coverage: whether the actual fell inside the P10-P90 band made at the slice's own
    grain, out of sample (the band was made at the cycle, the actual came later): at
    sku_region_channel the series' band (statistical and consensus), at sku, product_line_region,
    product_line and total the statistical band calibrated at that level (ml.forecast_levels,
    written by the middle-out forecast); region and channel have no band of their own
    (interval_cells 0). -#}
{#- A unit test's source has no schema (its rows are a CTE): no level bands there. -#}
{%- set levels_source = source('ml', 'forecast_levels') -%}
{%- set levels_relation = load_relation(levels_source) if levels_source.schema else none -%}
{%- set levels = {
    'sku_region_channel': ['sku', 'region', 'channel'],
    'total': [],
    'product_line': ['product_line'],
    'product_line_region': ['product_line', 'region'],
    'sku': ['sku'],
    'region': ['region'],
    'channel': ['channel'],
} -%}
{%- set dimensions = ['product_line', 'region', 'channel', 'sku'] -%}
with

method_cells as (

    select * from {{ ref('int_forecast_errors') }}

),

sliced as (

    {% for level, level_dimensions in levels.items() %}
        select
            '{{ level }}' as level,
            {% if level_dimensions | length == 0 -%}
                'Total'
            {%- elif level_dimensions | length == 1 -%}
                {{ level_dimensions[0] }}
            {%- elif level_dimensions | length == 2 -%}
                {{ dbt.concat([level_dimensions[0], "' · '", level_dimensions[1]]) }}
            {%- else -%}
        {{ dbt.concat([level_dimensions[0], "' · '", level_dimensions[1], "' · '",
                       level_dimensions[2]]) }}
            {%- endif %} as subject,
            {% for dimension in dimensions -%}
                {% if dimension in level_dimensions -%}
                    {{ dimension }}
                {%- else -%}
                    cast(null as {{ dbt.type_string() }})
                {%- endif %} as {{ dimension }},
            {% endfor -%}
            cycle_month,
            lag_months,
            target_month,
            method,
            count(*) as series_count,
            sum(actual_units) as actual_units,
            sum(forecast_units) as forecast_units,
            sum(abs(forecast_units - actual_units)) as abs_error_units,
            sum(case when seasonal_naive_mae is not null then abs(forecast_units - actual_units) end)
                as scaled_abs_error_units,
            sum(seasonal_naive_mae) as seasonal_naive_mae_units,
            {% if level == 'sku_region_channel' -%}
                max(p10_units) as series_p10_units,
                max(p90_units) as series_p90_units
            {%- else -%}
                cast(null as double) as series_p10_units,
                cast(null as double) as series_p90_units
            {%- endif %}
        from method_cells
        group by
            {% for dimension in level_dimensions %}{{ dimension }}, {% endfor -%}
            cycle_month, lag_months, target_month, method
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

level_bands as (

    {% if levels_relation is not none -%}
    select
        level,
        cast(cycle_month as date) as cycle_month,
        cast(lag as integer) as lag_months,
        case level
            when 'total' then 'Total'
            when 'product_line' then product_line
            when 'sku' then sku
            else {{ dbt.concat(['product_line', "' · '", 'region']) }}
        end as subject,
        'statistical' as method,
        cast(p10 as double) as p10_units,
        cast(p90 as double) as p90_units
    from {{ source('ml', 'forecast_levels') }}
    {%- else -%}
        {#- ml.forecast_levels is written by the middle-out forecast; without it no level bands. -#}
        select
            cast(null as {{ dbt.type_string() }}) as level,
            cast(null as date) as cycle_month,
            cast(null as integer) as lag_months,
            cast(null as {{ dbt.type_string() }}) as subject,
            cast(null as {{ dbt.type_string() }}) as method,
            cast(null as double) as p10_units,
            cast(null as double) as p90_units
        where 1 = 0
    {%- endif %}

),

banded as (

    select
        sliced.*,
        coalesce(sliced.series_p10_units, level_bands.p10_units) as interval_p10_units,
        coalesce(sliced.series_p90_units, level_bands.p90_units) as interval_p90_units
    from sliced
    left join level_bands
        on sliced.level = level_bands.level
        and sliced.cycle_month = level_bands.cycle_month
        and sliced.lag_months = level_bands.lag_months
        and sliced.subject = level_bands.subject
        and sliced.method = level_bands.method

),

measured as (

    select
        *,
        case when interval_p10_units is not null then 1 else 0 end as interval_cells,
        case
            when actual_units between interval_p10_units - 1e-6 and interval_p90_units + 1e-6
                then 1
            else 0
        end as interval_hits,
        abs_error_units / nullif(actual_units, 0) as wape,
        (forecast_units - actual_units) / nullif(actual_units, 0) as bias,
        scaled_abs_error_units / nullif(seasonal_naive_mae_units, 0) as mase,
        case method
            when 'statistical' then 'naive'
            when 'consensus' then 'statistical'
        end as benchmark_method
    from banded

),

final as (

    select
        {{ surrogate_key(['measured.cycle_month', 'measured.lag_months', 'measured.level',
                          'measured.subject', 'measured.method']) }} as forecast_accuracy_id,
        measured.cycle_month,
        measured.target_month,
        cast(measured.lag_months as integer) as lag_months,
        measured.level,
        measured.subject,
        measured.product_line,
        measured.region,
        measured.channel,
        measured.sku,
        measured.method,
        measured.benchmark_method,
        cast(measured.series_count as integer) as series_count,
        cast(measured.actual_units as double) as actual_units,
        cast(measured.forecast_units as double) as forecast_units,
        cast(measured.abs_error_units as double) as abs_error_units,
        cast(measured.wape as double) as wape,
        cast(case when measured.wape > 1 then 0 else 1 - measured.wape end as double)
            as forecast_accuracy,
        cast(measured.bias as double) as bias,
        cast(measured.mase as double) as mase,
        cast(measured.seasonal_naive_mae_units as double) as seasonal_naive_mae_units,
        cast(benchmark.wape - measured.wape as double) as fva_wape,
        cast(measured.forecast_units - measured.actual_units as double) as signed_error_units,
        cast(measured.scaled_abs_error_units as double) as scaled_abs_error_units,
        cast(benchmark.abs_error_units as double) as benchmark_abs_error_units,
        cast(measured.interval_p10_units as double) as interval_p10_units,
        cast(measured.interval_p90_units as double) as interval_p90_units,
        cast(measured.interval_cells as integer) as interval_cells,
        cast(measured.interval_hits as integer) as interval_hits
    from measured
    left join measured as benchmark
        on measured.cycle_month = benchmark.cycle_month
        and measured.lag_months = benchmark.lag_months
        and measured.level = benchmark.level
        and measured.subject = benchmark.subject
        and measured.benchmark_method = benchmark.method

)

select * from final
