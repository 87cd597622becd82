{#- Expected net price per planning cycle x sku x region x channel: today's list price (product
    master) less the discount rate observed on that series' orders over the trailing months
    (planning_parameters.discount_lookback_months, up to the cycle month):
    discount rate = 1 - booked net sales / booked gross sales. Falls back to the SKU's rate over
    all regions and channels, then to no discount. -#}
with

consensus as (

    select * from {{ ref('fct_consensus_forecast') }}

),

demand_history as (

    select * from {{ ref('fct_demand_monthly') }}

),

products as (

    select * from {{ ref('dim_product') }}

),

parameters as (

    select
        {{ parameter_value('discount_lookback_months') }}
    from {{ ref('planning_parameters') }}

),

series as (

    select distinct
        cycle_month,
        sku,
        region,
        channel
    from consensus

),

cycles as (

    select distinct cycle_month
    from consensus

),

trailing_sales as (

    select
        cycles.cycle_month,
        demand_history.sku,
        demand_history.region,
        demand_history.channel,
        sum(demand_history.gross_sales) as gross_sales,
        sum(demand_history.net_sales) as net_sales
    from cycles
    cross join parameters
    inner join demand_history
        on demand_history.month <= cycles.cycle_month
        and demand_history.month > {{ add_months('cycles.cycle_month',
                                                 '-1 * cast(parameters.discount_lookback_months as integer)') }}
    group by cycles.cycle_month, demand_history.sku, demand_history.region, demand_history.channel

),

sku_sales as (

    select
        cycle_month,
        sku,
        sum(gross_sales) as gross_sales,
        sum(net_sales) as net_sales
    from trailing_sales
    group by cycle_month, sku

),

rates as (

    select
        series.cycle_month,
        series.sku,
        series.region,
        series.channel,
        trailing_sales.net_sales / nullif(trailing_sales.gross_sales, 0) as series_net_ratio,
        sku_sales.net_sales / nullif(sku_sales.gross_sales, 0) as sku_net_ratio
    from series
    left join trailing_sales
        on series.cycle_month = trailing_sales.cycle_month
        and series.sku = trailing_sales.sku
        and series.region = trailing_sales.region
        and series.channel = trailing_sales.channel
    left join sku_sales
        on series.cycle_month = sku_sales.cycle_month
        and series.sku = sku_sales.sku

),

final as (

    select
        {{ surrogate_key(['rates.cycle_month', 'rates.sku', 'rates.region', 'rates.channel']) }}
            as expected_net_price_id,
        rates.cycle_month,
        rates.sku,
        products.product_line,
        rates.region,
        rates.channel,
        cast(products.list_price as decimal(18, 2)) as list_price,
        cast(1 - coalesce(rates.series_net_ratio, rates.sku_net_ratio, 1) as double)
            as expected_discount_rate,
        case
            when rates.series_net_ratio is not null then 'series'
            when rates.sku_net_ratio is not null then 'sku'
            else 'none'
        end as discount_rate_basis,
        cast(
            products.list_price * coalesce(rates.series_net_ratio, rates.sku_net_ratio, 1)
            as double
        ) as expected_net_price,
        cast(products.standard_cost as double) as standard_cost
    from rates
    left join products
        on rates.sku = products.sku

)

select * from final
