{#- Forecast accuracy of every planning cycle at lags 1..accuracy_max_lag_months (6), for the
    naive, statistical and consensus forecasts, per slice of the business (level x subject). Errors are measured at the
    forecasting grain (sku x region x channel x month) against actual ordered units (demand), then
    summed over the series of the slice:
      WAPE = sum |F - A| / sum A;  accuracy = 1 - WAPE;  bias = sum (F - A) / sum A;
      MASE = sum |F - A| / sum s, s = the series' in-sample seasonal-naive MAE: the mean of
      |A(t) - A(t - 12)| over the 12 months up to the cycle month (data known at the cycle; months
      before a series' first order count as zero demand). Series without history at the cycle
      have no scale and are left out of MASE (not of WAPE).
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
{%- set methods = ['naive', 'statistical', 'consensus'] -%}
with

forecasts as (

    select * from {{ ref('fct_consensus_forecast') }}

),

demand as (

    select * from {{ ref('fct_demand_monthly') }}

),

products as (

    select * from {{ ref('dim_product') }}

),

parameters as (

    select
        {{ parameter_value('mase_season_length', alias='season_length') }},
        {{ parameter_value('mase_window_months', alias='window_months') }},
        {{ parameter_value('accuracy_max_lag_months', alias='max_lag') }}
    from {{ ref('performance_parameters') }}

),

complete_months as (

    select distinct month
    from demand
    where is_complete_month

),

cycle_targets as (

    select distinct
        cycle_month,
        lag_months,
        target_month
    from forecasts
    cross join parameters
    where lag_months between 1 and parameters.max_lag

),

forecast_cells as (

    select
        cycle_month,
        lag_months,
        target_month,
        sku,
        region,
        channel,
        naive_units,
        statistical_units,
        consensus_units,
        statistical_p10_units,
        statistical_p90_units,
        consensus_p10_units,
        consensus_p90_units
    from forecasts
    cross join parameters
    where lag_months between 1 and parameters.max_lag

),

actual_cells as (

    select
        cycle_targets.cycle_month,
        cycle_targets.lag_months,
        cycle_targets.target_month,
        demand.sku,
        demand.region,
        demand.channel,
        demand.ordered_units as actual_units
    from cycle_targets
    inner join demand
        on demand.month = cycle_targets.target_month

),

cells as (

    select
        coalesce(forecast_cells.cycle_month, actual_cells.cycle_month) as cycle_month,
        coalesce(forecast_cells.lag_months, actual_cells.lag_months) as lag_months,
        coalesce(forecast_cells.target_month, actual_cells.target_month) as target_month,
        coalesce(forecast_cells.sku, actual_cells.sku) as sku,
        coalesce(forecast_cells.region, actual_cells.region) as region,
        coalesce(forecast_cells.channel, actual_cells.channel) as channel,
        coalesce(forecast_cells.naive_units, 0) as naive_units,
        coalesce(forecast_cells.statistical_units, 0) as statistical_units,
        coalesce(forecast_cells.consensus_units, 0) as consensus_units,
        cast(null as double) as naive_p10_units,
        cast(null as double) as naive_p90_units,
        forecast_cells.statistical_p10_units,
        forecast_cells.statistical_p90_units,
        forecast_cells.consensus_p10_units,
        forecast_cells.consensus_p90_units,
        coalesce(actual_cells.actual_units, 0) as actual_units
    from forecast_cells
    full outer join actual_cells
        on forecast_cells.cycle_month = actual_cells.cycle_month
        and forecast_cells.lag_months = actual_cells.lag_months
        and forecast_cells.sku = actual_cells.sku
        and forecast_cells.region = actual_cells.region
        and forecast_cells.channel = actual_cells.channel

),

scored_cells as (

    select cells.*
    from cells
    inner join complete_months
        on cells.target_month = complete_months.month

),

seasonal_naive_errors as (

    select
        cycles.cycle_month,
        demand.sku,
        demand.region,
        demand.channel,
        avg(abs(demand.ordered_units - coalesce(same_month_before.ordered_units, 0)))
            as seasonal_naive_mae
    from (select distinct cycle_month from cycle_targets) as cycles
    cross join parameters
    inner join demand
        on demand.month <= cycles.cycle_month
        and demand.month > {{ add_months('cycles.cycle_month',
                                         '-1 * cast(parameters.window_months as integer)') }}
    left join demand as same_month_before
        on demand.sku = same_month_before.sku
        and demand.region = same_month_before.region
        and demand.channel = same_month_before.channel
        and same_month_before.month = {{ add_months('demand.month',
                                                    '-1 * cast(parameters.season_length as integer)') }}
    group by cycles.cycle_month, demand.sku, demand.region, demand.channel

),

method_cells as (

    {% for method in methods %}
        select
            scored_cells.cycle_month,
            scored_cells.lag_months,
            scored_cells.target_month,
            scored_cells.sku,
            products.product_line,
            scored_cells.region,
            scored_cells.channel,
            '{{ method }}' as method,
            scored_cells.{{ method }}_units as forecast_units,
            scored_cells.{{ method }}_p10_units as p10_units,
            scored_cells.{{ method }}_p90_units as p90_units,
            scored_cells.actual_units,
            seasonal_naive_errors.seasonal_naive_mae
        from scored_cells
        left join products
            on scored_cells.sku = products.sku
        left join seasonal_naive_errors
            on scored_cells.cycle_month = seasonal_naive_errors.cycle_month
            and scored_cells.sku = seasonal_naive_errors.sku
            and scored_cells.region = seasonal_naive_errors.region
            and scored_cells.channel = seasonal_naive_errors.channel
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

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
