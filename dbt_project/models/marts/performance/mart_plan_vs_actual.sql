{#- Plan attainment per month x slice (level x subject): net revenue against the plan, split into
    price, volume and mix effects, with the likely cause; plus, for the product levels, fill,
    production against the production plan and stock against its target.
    Plan of month M = the lag-1 consensus forecast (cycle M-1, units) of the cycle's plan of
    record (int_plan_scenario_selected: the latest approval, else base; its units from
    int_scenario_demand) x the cycle's expected net price per sku x region x channel
    (mart_expected_net_prices, x the scenario's price factor), split over customer tiers by
    each series' tier mix of ordered units in the trailing months up to the cycle (else the
    region x channel tier mix). Actual = net revenue (metric net_revenue, fct_revenue_lines) and
    net units shipped (shipped - returned) of M. Cells are sku x region x channel x tier; p = the
    cell's planned price (its actual price where it had no plan price). For a slice:
      price  = actual revenue - sum(actual units x p)
      volume = (actual units - planned units) x planned average price
      mix    = sum(actual units x p) - actual units x planned average price
    so price + volume + mix = actual - planned exactly; price and volume are rounded to the cent
    and mix is the rounded residual, so the effects add up to the cent.
    Empty unless capability revenue_actuals has its sources (dbt_project.yml vars). -#}
{%- set levels = {
    'total': [],
    'product_line': ['product_line'],
    'product_line_region': ['product_line', 'region'],
    'sku': ['sku'],
    'region': ['region'],
    'channel': ['channel'],
    'customer_tier': ['customer_tier'],
} -%}
{%- set product_levels = ['total', 'product_line', 'sku'] -%}
{%- set dimensions = ['product_line', 'region', 'channel', 'customer_tier', 'sku'] -%}
{%- set subjects = {} -%}
{%- for level, level_dimensions in levels.items() -%}
    {%- if level_dimensions | length == 0 -%}
        {%- do subjects.update({level: "'Total'"}) -%}
    {%- elif level_dimensions | length == 1 -%}
        {%- do subjects.update({level: level_dimensions[0]}) -%}
    {%- else -%}
        {%- do subjects.update({level: dbt.concat([level_dimensions[0], "' · '", level_dimensions[1]])}) -%}
    {%- endif -%}
{%- endfor -%}
with

consensus_forecast as (

    select * from {{ ref('fct_consensus_forecast') }}

),

selected as (

    select * from {{ ref('int_plan_scenario_selected') }}

),

consensus as (

    {#- the plan of record's demand (int_plan_scenario_selected: the latest approval, else base):
        its units and net price factor from int_scenario_demand, the base forecast's statistical
        units and sales-team flag (a scenario changes the plan, not the forecast behind it) -#}
    select
        scenario_demand.cycle_month,
        scenario_demand.sku,
        scenario_demand.region,
        scenario_demand.channel,
        scenario_demand.target_month,
        scenario_demand.lag_months,
        scenario_demand.consensus_units,
        scenario_demand.price_multiplier,
        consensus_forecast.statistical_units,
        consensus_forecast.is_sales_team_submitted
    from {{ ref('int_scenario_demand') }} as scenario_demand
    inner join selected
        on scenario_demand.cycle_month = selected.cycle_month
        and scenario_demand.scenario = selected.scenario
    left join consensus_forecast
        on scenario_demand.cycle_month = consensus_forecast.cycle_month
        and scenario_demand.sku = consensus_forecast.sku
        and scenario_demand.region = consensus_forecast.region
        and scenario_demand.channel = consensus_forecast.channel
        and scenario_demand.target_month = consensus_forecast.target_month

),

prices as (

    select * from {{ ref('mart_expected_net_prices') }}

),

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

revenue_lines as (

    select * from {{ ref('fct_revenue_lines') }}

),

customers as (

    select * from {{ ref('dim_customer') }}

),

products as (

    select * from {{ ref('dim_product') }}

),

demand as (

    select * from {{ ref('fct_demand_monthly') }}

),

supply_plan as (

    {#- the plan of record of each cycle (int_plan_scenario_selected), not every scenario -#}
    select plan_rows.*
    from {{ ref('mart_supply_plan') }} as plan_rows
    inner join {{ ref('int_plan_scenario_selected') }} as selected
        on plan_rows.cycle_month = selected.cycle_month
        and plan_rows.scenario = selected.scenario

),

production as (

    select * from {{ ref('fct_production') }}

),

inventory as (

    select * from {{ ref('fct_inventory_monthly') }}

),

parameters as (

    select
        {{ parameter_value('tier_share_lookback_months') }},
        {{ parameter_value('stockout_fill_rate_below') }},
        {{ parameter_value('new_item_months') }},
        {{ parameter_value('dying_item_months') }},
        {{ parameter_value('cause_min_share') }},
        {{ parameter_value('customer_baseline_months') }}
    from {{ ref('performance_parameters') }}

),

data_end as (

    select max(order_date) as last_order_date
    from order_lines

),

plan_months as (

    select distinct
        consensus.target_month as month,
        consensus.cycle_month
    from consensus
    cross join data_end
    where consensus.lag_months = 1
        and {{ month_end('consensus.target_month') }} <= data_end.last_order_date

),

tier_history as (

    select
        plan_months.cycle_month,
        order_lines.sku,
        order_lines.region,
        order_lines.channel,
        order_lines.tier as customer_tier,
        sum(order_lines.ordered_qty) as ordered_units
    from plan_months
    cross join parameters
    inner join order_lines
        on order_lines.order_date <= {{ month_end('plan_months.cycle_month') }}
        and order_lines.order_date >= {{ add_months('plan_months.cycle_month',
            '1 - cast(parameters.tier_share_lookback_months as integer)') }}
    group by
        plan_months.cycle_month, order_lines.sku, order_lines.region, order_lines.channel,
        order_lines.tier

),

series_tier_shares as (

    select
        cycle_month,
        sku,
        region,
        channel,
        customer_tier,
        ordered_units / sum(ordered_units) over (
            partition by cycle_month, sku, region, channel
        ) as tier_share
    from tier_history
    where ordered_units > 0

),

region_channel_tier_shares as (

    select
        cycle_month,
        region,
        channel,
        customer_tier,
        sum(ordered_units) / sum(sum(ordered_units)) over (
            partition by cycle_month, region, channel
        ) as tier_share
    from tier_history
    where ordered_units > 0
    group by cycle_month, region, channel, customer_tier

),

plan_series as (

    select
        plan_months.month,
        consensus.cycle_month,
        consensus.sku,
        consensus.region,
        consensus.channel,
        consensus.consensus_units,
        consensus.price_multiplier,
        coalesce(consensus.statistical_units, consensus.consensus_units) as statistical_units,
        coalesce(consensus.is_sales_team_submitted, false) as is_sales_team_submitted
    from consensus
    inner join plan_months
        on consensus.cycle_month = plan_months.cycle_month
        and consensus.target_month = plan_months.month

),

series_with_tier_mix as (

    select distinct
        cycle_month,
        sku,
        region,
        channel
    from series_tier_shares

),

plan_tier_shares as (

    select
        plan_series.month,
        plan_series.cycle_month,
        plan_series.sku,
        plan_series.region,
        plan_series.channel,
        plan_series.consensus_units,
        plan_series.price_multiplier,
        plan_series.statistical_units,
        plan_series.is_sales_team_submitted,
        coalesce(
            series_tier_shares.customer_tier, region_channel_tier_shares.customer_tier,
            'unassigned'
        ) as customer_tier,
        coalesce(series_tier_shares.tier_share, region_channel_tier_shares.tier_share, 1)
            as tier_share
    from plan_series
    left join series_with_tier_mix
        on plan_series.cycle_month = series_with_tier_mix.cycle_month
        and plan_series.sku = series_with_tier_mix.sku
        and plan_series.region = series_with_tier_mix.region
        and plan_series.channel = series_with_tier_mix.channel
    left join series_tier_shares
        on plan_series.cycle_month = series_tier_shares.cycle_month
        and plan_series.sku = series_tier_shares.sku
        and plan_series.region = series_tier_shares.region
        and plan_series.channel = series_tier_shares.channel
    left join region_channel_tier_shares
        on series_with_tier_mix.sku is null
        and plan_series.cycle_month = region_channel_tier_shares.cycle_month
        and plan_series.region = region_channel_tier_shares.region
        and plan_series.channel = region_channel_tier_shares.channel

),

plan_cells as (

    select
        month,
        sku,
        region,
        channel,
        customer_tier,
        sum(consensus_units * tier_share) as planned_units,
        max(price_multiplier) as price_multiplier,
        sum(statistical_units * tier_share) as statistical_units,
        sum(case when is_sales_team_submitted then consensus_units * tier_share else 0 end)
            as sales_team_units
    from plan_tier_shares
    group by month, sku, region, channel, customer_tier

),

actual_cells as (

    select
        plan_months.month,
        revenue_lines.sku,
        revenue_lines.region,
        revenue_lines.channel,
        customers.tier as customer_tier,
        sum(revenue_lines.shipped_qty - revenue_lines.returned_qty) as actual_units,
        sum(revenue_lines.net_revenue_amount) as actual_revenue
    from revenue_lines
    inner join plan_months
        on {{ month_start('revenue_lines.revenue_date') }} = plan_months.month
    left join customers
        on revenue_lines.customer_id = customers.customer_id
    group by
        plan_months.month, revenue_lines.sku, revenue_lines.region, revenue_lines.channel,
        customers.tier

),

order_cells as (

    select
        plan_months.month,
        order_lines.sku,
        order_lines.region,
        order_lines.channel,
        order_lines.tier as customer_tier,
        sum(order_lines.ordered_qty) as ordered_units,
        sum(order_lines.filled_qty) as filled_units
    from order_lines
    inner join plan_months
        on {{ month_start('order_lines.order_date') }} = plan_months.month
    group by
        plan_months.month, order_lines.sku, order_lines.region, order_lines.channel,
        order_lines.tier

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

residual_cells as (

    select
        *,
        actual_at_planned_price - planned_revenue - stockout_part - override_part as residual_part
    from attributed_cells

),

customer_sku_months as (

    select
        revenue_lines.customer_id,
        revenue_lines.sku,
        {{ month_start('revenue_lines.revenue_date') }} as month,
        sum(revenue_lines.shipped_qty - revenue_lines.returned_qty) as net_units
    from revenue_lines
    group by
        revenue_lines.customer_id, revenue_lines.sku,
        {{ month_start('revenue_lines.revenue_date') }}

),

customer_changes as (

    select
        plan_months.month,
        customer_sku_months.customer_id,
        customers.region,
        customers.channel,
        customers.tier as customer_tier,
        customer_sku_months.sku,
        products.product_line,
        sum(case when customer_sku_months.month = plan_months.month
                then customer_sku_months.net_units
            else 0
        end)
        - sum(case when customer_sku_months.month <= plan_months.cycle_month
                then customer_sku_months.net_units
            else 0
        end)
        / parameters.customer_baseline_months as unit_change
    from plan_months
    cross join parameters
    inner join customer_sku_months
        on customer_sku_months.month = plan_months.month
        or (
            customer_sku_months.month <= plan_months.cycle_month
            and customer_sku_months.month > {{ add_months('plan_months.cycle_month',
                '-1 * cast(parameters.customer_baseline_months as integer)') }}
        )
    left join customers
        on customer_sku_months.customer_id = customers.customer_id
    left join products
        on customer_sku_months.sku = products.sku
    group by
        plan_months.month, customer_sku_months.customer_id, customers.region,
        customers.channel, customers.tier, customer_sku_months.sku, products.product_line,
        parameters.customer_baseline_months

),

sliced as (

    {% for level, level_dimensions in levels.items() %}
        select
            '{{ level }}' as level,
            {{ subjects[level] }} as subject,
            {% for dimension in dimensions -%}
                {% if dimension in level_dimensions -%}
                    {{ dimension }}
                {%- else -%}
                    cast(null as {{ dbt.type_string() }})
                {%- endif %} as {{ dimension }},
            {% endfor -%}
            month,
            cycle_month,
            sum(planned_units) as planned_units,
            sum(actual_units) as actual_units,
            sum(planned_revenue) as planned_revenue,
            sum(actual_revenue) as actual_revenue,
            sum(actual_at_planned_price) as actual_at_planned_price,
            sum(statistical_units) as statistical_units,
            sum(sales_team_units) as sales_team_units,
            sum(price_part) as cause_price_exact,
            sum(stockout_part) as cause_stockout_exact,
            sum(override_part) as cause_override_exact,
            sum(case when has_promotion then residual_part else 0 end) as cause_promotion_exact,
            sum(case when not has_promotion and is_new_item then residual_part else 0 end)
                as cause_new_item_exact,
            sum(case when not has_promotion and not is_new_item and is_dying_item
                    then residual_part
                else 0
            end) as cause_dying_item_exact,
            sum(ordered_units) as ordered_units,
            sum(filled_units) as filled_units
        from residual_cells
        group by
            {% for dimension in level_dimensions %}{{ dimension }}, {% endfor -%}
            month, cycle_month
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

customer_sliced as (

    {% for level, level_dimensions in levels.items() %}
        select
            '{{ level }}' as level,
            {{ subjects[level] }} as subject,
            month,
            max(unit_change) as largest_customer_increase,
            min(unit_change) as largest_customer_decrease
        from (
            select
                {% for dimension in level_dimensions %}{{ dimension }},{% endfor -%}
                
                month,
                customer_id,
                sum(unit_change) as unit_change
            from customer_changes
            group by
                {% for dimension in level_dimensions %}{{ dimension }}, {% endfor -%}
                month, customer_id
        ) as per_customer
        group by
            {% for dimension in level_dimensions %}{{ dimension }}, {% endfor -%}
            month
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

sku_operations as (

    select
        inventory.month,
        inventory.sku,
        inventory.product_line,
        inventory.closing_on_hand_qty as on_hand_units,
        inventory.closing_inventory_value as inventory_value,
        supply_plan.planned_production_units,
        supply_plan.safety_stock_units,
        supply_plan.target_stock_units,
        coalesce(produced.produced_units, 0) as produced_units,
        coalesce(daily_demand.ordered_units_per_day, 0) as ordered_units_per_day
    from inventory
    inner join plan_months
        on inventory.month = plan_months.month
    left join supply_plan
        on plan_months.cycle_month = supply_plan.cycle_month
        and inventory.sku = supply_plan.sku
        and inventory.month = supply_plan.month
    left join (
        select
            sku,
            {{ month_start('production_date') }} as month,
            sum(produced_qty) as produced_units
        from production
        group by sku, {{ month_start('production_date') }}
    ) as produced
        on inventory.sku = produced.sku
        and inventory.month = produced.month
    left join (
        select
            sku,
            month,
            sum(ordered_units_per_day) as ordered_units_per_day
        from demand
        group by sku, month
    ) as daily_demand
        on inventory.sku = daily_demand.sku
        and inventory.month = daily_demand.month

),

sku_fill as (

    select
        month,
        sku,
        sum(ordered_units) as ordered_units,
        sum(filled_units) as filled_units
    from valued_cells
    group by month, sku

),

operations_sliced as (

    {% for level in product_levels %}
        {%- set level_dimensions = levels[level] %}
        select
            '{{ level }}' as level,
            {% if level_dimensions %}sku_operations.{{ level_dimensions[0] }}{% else %}'Total'{% endif %} as subject,
            sku_operations.month,
            sum(sku_operations.on_hand_units) as on_hand_units,
            sum(sku_operations.inventory_value) as inventory_value,
            sum(sku_operations.safety_stock_units) as safety_stock_units,
            sum(sku_operations.target_stock_units) as target_stock_units,
            sum(sku_operations.planned_production_units) as planned_production_units,
            sum(sku_operations.produced_units) as produced_units,
            sum(abs(sku_operations.produced_units - sku_operations.planned_production_units))
                as production_deviation_units,
            sum(sku_operations.on_hand_units) / nullif(sum(sku_operations.ordered_units_per_day), 0)
                as days_of_supply,
            sum(case when sku_fill.filled_units
                    < parameters.stockout_fill_rate_below * sku_fill.ordered_units
                    then 1
                else 0
            end) as stockout_sku_count
        from sku_operations
        cross join parameters
        left join sku_fill
            on sku_operations.month = sku_fill.month
            and sku_operations.sku = sku_fill.sku
        group by
            {% for dimension in level_dimensions %}sku_operations.{{ dimension }}, {% endfor -%}
            sku_operations.month
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

effects as (

    select
        sliced.*,
        sliced.planned_revenue / nullif(sliced.planned_units, 0) as planned_avg_price,
        sliced.actual_revenue - sliced.actual_at_planned_price as price_effect_exact,
        case
            when sliced.planned_units <> 0
                then (sliced.actual_units - sliced.planned_units)
                    * sliced.planned_revenue / sliced.planned_units
            else sliced.actual_at_planned_price - sliced.planned_revenue
        end as volume_effect_exact,
        sliced.actual_revenue - sliced.planned_revenue as revenue_variance_exact,
        case
            when sliced.actual_units - sliced.planned_units > 0
                then customer_sliced.largest_customer_increase
            when sliced.actual_units - sliced.planned_units < 0
                then customer_sliced.largest_customer_decrease
        end / nullif(sliced.actual_units - sliced.planned_units, 0) as big_customer_share
    from sliced
    left join customer_sliced
        on sliced.level = customer_sliced.level
        and sliced.subject = customer_sliced.subject
        and sliced.month = customer_sliced.month

),

rounded_causes as (

    {#- The causes rounded to the cent; the forecast error takes the rounding residual so that
        the seven parts add up to revenue_variance exactly. -#}
    {%- set causes = ['price', 'stockout', 'override', 'promotion', 'new_item', 'dying_item'] %}
    select
        effects.*,
        cast(round(effects.actual_revenue, 2) as decimal(18, 2))
        - cast(round(effects.planned_revenue, 2) as decimal(18, 2)) as revenue_variance_cents,
        {% for cause in causes -%}
            cast(round(effects.cause_{{ cause }}_exact, 2) as decimal(18, 2)) as cause_{{ cause }}_amount,
        {% endfor -%}
        parameters.cause_min_share
    from effects
    cross join parameters

),

cause_shares as (

    select
        *,
        revenue_variance_cents
        {%- for cause in causes %}
            - cause_{{ cause }}_amount
        {%- endfor %}
            as cause_forecast_error_amount,
        {% for cause in causes -%}
            coalesce(
                cast(cause_{{ cause }}_amount as double)
                / nullif(cast(revenue_variance_cents as double), 0), 0
            ) as {{ cause }}_share,
        {% endfor -%}
        coalesce(big_customer_share, 0) as customer_share
    from rounded_causes

),

causes as (

    {#- The likely cause: the named cause with the largest part in the direction of the variance,
        when it explains at least cause_min_share of it; else one customer's change of that size;
        else none evident (the statistical forecast's own error is not a cause). -#}
    select
        *,
        greatest(
            {% for cause in causes %}                {{ cause }}_share{% if not loop.last %}, {% endif %}                {% endfor %}
        )
            as top_named_share
    from cause_shares

),

final as (

    select
        {{ surrogate_key(['causes.month', 'causes.level', 'causes.subject']) }}
            as plan_vs_actual_id,
        causes.month,
        causes.cycle_month,
        causes.level,
        causes.subject,
        causes.product_line,
        causes.region,
        causes.channel,
        causes.customer_tier,
        causes.sku,
        cast(causes.planned_units as double) as planned_units,
        cast(causes.actual_units as double) as actual_units,
        cast(round(causes.planned_revenue, 2) as decimal(18, 2)) as planned_revenue,
        cast(round(causes.actual_revenue, 2) as decimal(18, 2)) as actual_revenue,
        cast(
            cast(round(causes.actual_revenue, 2) as decimal(18, 2))
            - cast(round(causes.planned_revenue, 2) as decimal(18, 2))
            as decimal(18, 2)
        ) as revenue_variance,
        cast(round(causes.price_effect_exact, 2) as decimal(18, 2)) as price_effect,
        cast(round(causes.volume_effect_exact, 2) as decimal(18, 2)) as volume_effect,
        cast(
            cast(round(causes.actual_revenue, 2) as decimal(18, 2))
            - cast(round(causes.planned_revenue, 2) as decimal(18, 2))
            - cast(round(causes.price_effect_exact, 2) as decimal(18, 2))
            - cast(round(causes.volume_effect_exact, 2) as decimal(18, 2))
            as decimal(18, 2)
        ) as mix_effect,
        cast(causes.planned_avg_price as double) as planned_avg_price,
        cast(causes.actual_revenue / nullif(causes.actual_units, 0) as double) as actual_avg_price,
        cast(causes.ordered_units as double) as ordered_units,
        cast(causes.filled_units as double) as filled_units,
        cast(causes.filled_units / nullif(causes.ordered_units, 0) as double) as fill_rate,
        case
            when causes.top_named_share >= causes.cause_min_share
                then
                    case causes.top_named_share
                        when causes.override_share then 'consensus_override'
                        when causes.stockout_share then 'stockout_capped'
                        when causes.price_share then 'price_change'
                        when causes.promotion_share then 'unplanned_promotion'
                        when causes.new_item_share then 'new_item'
                        else 'dying_item'
                    end
            when causes.customer_share >= causes.cause_min_share then 'big_customer_change'
            else 'none_evident'
        end as likely_cause,
        cast(
            case
                when causes.top_named_share >= causes.cause_min_share then causes.top_named_share
                when causes.customer_share >= causes.cause_min_share then causes.customer_share
                else greatest(causes.top_named_share, causes.customer_share)
            end as double
        ) as likely_cause_share,
        cast(causes.statistical_units as double) as statistical_units,
        cast(causes.sales_team_units as double) as sales_team_units,
        causes.cause_price_amount,
        causes.cause_stockout_amount,
        causes.cause_override_amount,
        causes.cause_promotion_amount,
        causes.cause_new_item_amount,
        causes.cause_dying_item_amount,
        cast(causes.cause_forecast_error_amount as decimal(18, 2)) as cause_forecast_error_amount,
        cast(operations_sliced.planned_production_units as double) as planned_production_units,
        cast(operations_sliced.produced_units as double) as produced_units,
        cast(
            1 - operations_sliced.production_deviation_units
            / nullif(operations_sliced.planned_production_units, 0) as double
        ) as production_adherence,
        cast(operations_sliced.on_hand_units as double) as on_hand_units,
        cast(operations_sliced.safety_stock_units as double) as safety_stock_units,
        cast(operations_sliced.target_stock_units as double) as target_stock_units,
        cast(operations_sliced.on_hand_units - operations_sliced.target_stock_units as double)
            as stock_vs_target_units,
        cast(operations_sliced.days_of_supply as double) as days_of_supply,
        cast(operations_sliced.inventory_value as decimal(18, 2)) as inventory_value,
        cast(operations_sliced.stockout_sku_count as integer) as stockout_sku_count
    from causes
    left join operations_sliced
        on causes.level = operations_sliced.level
        and causes.subject = operations_sliced.subject
        and causes.month = operations_sliced.month
    where {{ capability_available('revenue_actuals') }}

)

select * from final
