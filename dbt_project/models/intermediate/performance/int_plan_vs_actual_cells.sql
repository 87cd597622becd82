{#- Every reviewed month x cell (sku x region x channel x customer tier) with a plan, an actual or
    an order: planned and actual units and revenue at the cell's planned price p (the cycle's
    expected net price x the scenario's price factor, mart_expected_net_prices; its actual price
    where it had no plan price), the flags the causes read, and the cell's variance split into
    the parts of the causes (price, stock-out, consensus override; the residual goes to a
    promotion, a launch or a discontinuation in int_plan_vs_actual_sliced, else it is the
    statistical forecast's own error). -#}
with

plan_cells as (

    select * from {{ ref('int_plan_cells') }}

),

actual_cells as (

    select * from {{ ref('int_actual_cells') }}

),

order_cells as (

    select * from {{ ref('int_order_cells') }}

),

plan_months as (

    select * from {{ ref('int_plan_months') }}

),

prices as (

    select * from {{ ref('mart_expected_net_prices') }}

),

products as (

    select * from {{ ref('dim_product') }}

),

demand as (

    select * from {{ ref('fct_demand_monthly') }}

),

parameters as (

    select
        {{ parameter_value('stockout_fill_rate_below') }},
        {{ parameter_value('new_item_months') }},
        {{ parameter_value('dying_item_months') }}
    from {{ ref('performance_parameters') }}

),

cell_keys as (

    select
        month,
        sku,
        region,
        channel,
        customer_tier
    from plan_cells
    union
    select
        month,
        sku,
        region,
        channel,
        customer_tier
    from actual_cells
    union
    select
        month,
        sku,
        region,
        channel,
        customer_tier
    from order_cells

),

series_promotions as (

    select
        sku,
        region,
        channel,
        month,
        promo_depth
    from demand

),

cells as (

    select
        cell_keys.month,
        plan_months.cycle_month,
        cell_keys.sku,
        products.product_line,
        cell_keys.region,
        cell_keys.channel,
        cell_keys.customer_tier,
        coalesce(plan_cells.planned_units, 0) as planned_units,
        coalesce(plan_cells.statistical_units, 0) as statistical_units,
        coalesce(plan_cells.sales_team_units, 0) as sales_team_units,
        coalesce(actual_cells.actual_units, 0) as actual_units,
        coalesce(actual_cells.actual_revenue, 0) as actual_revenue,
        coalesce(order_cells.ordered_units, 0) as ordered_units,
        coalesce(order_cells.filled_units, 0) as filled_units,
        coalesce(
            prices.expected_net_price * coalesce(plan_cells.price_multiplier, 1),
            actual_cells.actual_revenue / nullif(actual_cells.actual_units, 0),
            0
        ) as planned_price,
        coalesce(series_promotions.promo_depth, 0) > 0 as has_promotion,
        coalesce(order_cells.filled_units, 0)
        < parameters.stockout_fill_rate_below * coalesce(order_cells.ordered_units, 0)
            as is_stockout_capped,
        coalesce(products.launch_date > {{ add_months('plan_months.cycle_month',
            '-1 * cast(parameters.new_item_months as integer)') }}, false) as is_new_item,
        coalesce(products.discontinue_date < {{ add_months('cell_keys.month',
            '1 + cast(parameters.dying_item_months as integer)') }}, false) as is_dying_item
    from cell_keys
    cross join parameters
    inner join plan_months
        on cell_keys.month = plan_months.month
    left join products
        on cell_keys.sku = products.sku
    left join plan_cells
        on cell_keys.month = plan_cells.month
        and cell_keys.sku = plan_cells.sku
        and cell_keys.region = plan_cells.region
        and cell_keys.channel = plan_cells.channel
        and cell_keys.customer_tier = plan_cells.customer_tier
    left join actual_cells
        on cell_keys.month = actual_cells.month
        and cell_keys.sku = actual_cells.sku
        and cell_keys.region = actual_cells.region
        and cell_keys.channel = actual_cells.channel
        and cell_keys.customer_tier = actual_cells.customer_tier
    left join order_cells
        on cell_keys.month = order_cells.month
        and cell_keys.sku = order_cells.sku
        and cell_keys.region = order_cells.region
        and cell_keys.channel = order_cells.channel
        and cell_keys.customer_tier = order_cells.customer_tier
    left join prices
        on plan_months.cycle_month = prices.cycle_month
        and cell_keys.sku = prices.sku
        and cell_keys.region = prices.region
        and cell_keys.channel = prices.channel
    left join series_promotions
        on cell_keys.month = series_promotions.month
        and cell_keys.sku = series_promotions.sku
        and cell_keys.region = series_promotions.region
        and cell_keys.channel = series_promotions.channel

),

valued_cells as (

    select
        *,
        planned_units * planned_price as planned_revenue,
        actual_units * planned_price as actual_at_planned_price,
        actual_revenue - planned_units * planned_price as revenue_variance
    from cells

),

attributed_cells as (

    {#- Each cell's variance split into the causes the data shows, in this order, so that the
        parts add up to the variance: price and discounts (actual revenue - actual units x
        planned price); the stock-out (units ordered but not shipped, up to the shortfall against
        plan, on a stock-out-capped cell); the consensus override (statistical - consensus units:
        what the override added to or took off the plan); the rest of the unit variance goes to
        a promotion, a launch or a discontinuation when the cell has one, else it is the
        statistical forecast's own error. All at the cell's planned price. -#}
    select
        *,
        actual_revenue - actual_at_planned_price as price_part,
        case
            when is_stockout_capped
                then -least(
                        greatest(planned_units - actual_units, 0),
                        greatest(ordered_units - filled_units, 0)
                    ) * planned_price
            else 0
        end as stockout_part,
        (statistical_units - planned_units) * planned_price as override_part
    from valued_cells

),

final as (

    select
        *,
        actual_at_planned_price - planned_revenue - stockout_part - override_part as residual_part
    from attributed_cells

)

select * from final
