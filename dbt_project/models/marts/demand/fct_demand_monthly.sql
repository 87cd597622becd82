{#- Monthly unconstrained demand per sku x region x channel: what the forecaster reads.
    Dense panel (zero months included) from each series' first order to the last month with
    data. Region and channel are the order line's (ship-to), else the customer's. gross_sales / net_sales here are
    booked order value (ordered units at list / net price), not recognised revenue.
    Incremental by month: a daily run rebuilds the months from the earliest one its files
    touch to the last (``to_end``: a series' first month and the last date of data tie the
    months together): its inputs are read on those months only, and ``built_series`` holds
    the series of the months kept (the last date of data is always in the rebuilt months). -#}
{{ config(
    materialized=fact_materialization(),
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ increment_prepare() }}",
    post_hook="{{ increment_record() }}",
    meta={'increment': {
        'date_column': 'month',
        'grains': [
            {'model': 'stg_sales__order_lines', 'date': 'order_date', 'keys': ['order_id', 'line_number']},
            {'model': 'stg_sales__shipments', 'date': 'ship_date', 'keys': ['order_id', 'line_number'],
             'coupled': [{'model': 'stg_sales__order_lines', 'keys': ['order_id', 'line_number']}]},
        ],
        'masters': ['stg_masters__customers', 'stg_masters__products', 'stg_marketing__promotions'],
        'to_end': {'model': 'stg_sales__order_lines', 'date': 'order_date'},
    }},
) }}
with

order_lines as (

    select * from {{ ref('int_order_lines_attributed') }}
    where {{ increment_filter('order_date') }}

),

shipments as (

    select * from {{ ref('int_shipments_priced') }}
    where {{ increment_filter('ship_date') }}

),

promotions as (

    select * from {{ ref('int_promotion_depth_monthly') }}
    where {{ increment_filter('month') }}

),

products as (

    select * from {{ ref('stg_masters__products') }}

),

calendar as (

    select * from {{ ref('int_calendar_days_spined') }}
    where {{ increment_filter('date_day') }}

),

built_series as (

    {#- On an increment: the series of the months kept (before the rebuilt ones, which the
        fact's pre-hook deleted). Their first month is earlier than any rebuilt month. -#}
    {% if is_incremental() %}
        select
            sku,
            region,
            channel,
            min(month) as first_month
        from {{ this }}
        group by sku, region, channel
    {% else %}
        select
            cast(null as varchar) as sku,
            cast(null as varchar) as region,
            cast(null as varchar) as channel,
            cast(null as date) as first_month
        where false
    {% endif %}

),

ordered as (

    select
        sku,
        region,
        channel,
        order_month as month,
        sum(ordered_qty) as ordered_units,
        count(*) as ordered_lines,
        sum(ordered_qty * list_price) as gross_sales,
        sum(ordered_qty * net_price) as net_sales
    from order_lines
    group by sku, region, channel, order_month

),

shipped as (

    select
        sku,
        region,
        channel,
        {{ month_start('ship_date') }} as month,
        sum(shipped_qty) as shipped_units
    from shipments
    group by sku, region, channel, {{ month_start('ship_date') }}

),

data_end as (

    select
        max(order_date) as last_order_date,
        {{ month_start('max(order_date)') }} as last_month
    from order_lines

),

series as (

    select
        sku,
        region,
        channel,
        min(first_month) as first_month
    from (
        select
            sku,
            region,
            channel,
            month as first_month
        from ordered
        union all
        select
            sku,
            region,
            channel,
            first_month
        from built_series
    ) as starts
    group by sku, region, channel

),

months as (

    select distinct {{ month_start('date_day') }} as month
    from calendar

),

panel as (

    select
        series.sku,
        series.region,
        series.channel,
        months.month
    from series
    cross join data_end
    inner join months
        on months.month >= series.first_month
        and months.month <= data_end.last_month

),

joined as (

    select
        panel.sku,
        products.product_line,
        panel.region,
        panel.channel,
        panel.month,
        coalesce(ordered.ordered_units, 0) as ordered_units,
        {% if source_provided('shipments') -%}
            coalesce(shipped.shipped_units, 0) as shipped_units,
        {%- else -%}
        cast(null as bigint) as shipped_units,
        {%- endif %}
        coalesce(ordered.ordered_lines, 0) as ordered_lines,
        coalesce(ordered.gross_sales, 0) as gross_sales,
        coalesce(ordered.net_sales, 0) as net_sales,
        coalesce(promotions.promo_depth, 0) as promo_depth,
        {{ days_in_month('panel.month') }} as days_in_month,
        {{ month_end('panel.month') }} <= data_end.last_order_date as is_complete_month,
        case
            when {{ month_end('panel.month') }} <= data_end.last_order_date
                then {{ days_in_month('panel.month') }}
            else {{ dbt.datediff('panel.month', 'data_end.last_order_date', 'day') }}                 + 1
        end as days_observed
    from panel
    cross join data_end
    left join products
        on panel.sku = products.sku
    left join ordered
        on panel.sku = ordered.sku
        and panel.region = ordered.region
        and panel.channel = ordered.channel
        and panel.month = ordered.month
    left join shipped
        on panel.sku = shipped.sku
        and panel.region = shipped.region
        and panel.channel = shipped.channel
        and panel.month = shipped.month
    left join promotions
        on panel.sku = promotions.sku
        and panel.region = promotions.region
        and panel.month = promotions.month

),

demand as (

    select
        sku,
        product_line,
        region,
        channel,
        month,
        ordered_units,
        shipped_units,
        ordered_lines,
        gross_sales,
        net_sales,
        case when ordered_units > 0 then round(gross_sales / ordered_units, 2) end as avg_list_price,
        case when gross_sales > 0 then round(1 - net_sales / gross_sales, 4) end as avg_discount_pct,
        round(promo_depth, 4) as promo_depth,
        is_complete_month,
        days_observed,
        ordered_units / days_observed as ordered_units_per_day
    from joined

),

final as (

    select
        {{ surrogate_key(['sku', 'region', 'channel', 'month']) }} as demand_month_id,
        sku,
        product_line,
        region,
        channel,
        month,
        cast(ordered_units as bigint) as ordered_units,
        cast(shipped_units as bigint) as shipped_units,
        cast(ordered_lines as bigint) as ordered_lines,
        cast(gross_sales as decimal(18, 2)) as gross_sales,
        cast(net_sales as decimal(18, 2)) as net_sales,
        cast(avg_list_price as decimal(18, 2)) as avg_list_price,
        cast(avg_discount_pct as decimal(6, 4)) as avg_discount_pct,
        cast(promo_depth as decimal(6, 4)) as promo_depth,
        is_complete_month,
        cast(days_observed as integer) as days_observed,
        cast(ordered_units_per_day as double) as ordered_units_per_day
    from demand

)

select * from final
