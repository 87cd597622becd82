{#- Inventory policy per planning cycle x SKU (stock is planned per SKU over all warehouses).
    ABC class from the SKU's share of trailing net sales (int_skus_abc_classified); z from the
    class service level; mean daily demand and sigma per month from the SKU's P10-P90 band of
    the first horizon month (int_sku_demand_measured); sigma over the lead time = sigma_month x
    sqrt(lead time days / 30.4375); safety stock = z x sigma_LT; reorder point = mean demand over
    the lead time + safety stock; target stock (the month-end stock the supply plan aims for)
    = safety stock + cycle stock, cycle stock = half a review period of mean demand. A SKU
    discontinued by the end of the cycle month holds no safety stock. A scenario's service level
    and supplier lead time changes come from int_policy_adjustments_matched. -#}
with

classified as (

    select * from {{ ref('int_skus_abc_classified') }}

),

demand as (

    select * from {{ ref('int_sku_demand_measured') }}

),

policy_changes as (

    select * from {{ ref('int_policy_adjustments_matched') }}

),

products as (

    select * from {{ ref('dim_product') }}

),

service_levels as (

    select * from {{ ref('mart_service_level_targets') }}

),

parameters as (

    select {{ parameter_value('review_period_days') }}
    from {{ ref('planning_parameters') }}

),

policy as (

    select
        classified.cycle_month,
        classified.scenario,
        classified.sku,
        products.product_line,
        products.production_line,
        classified.trailing_net_sales,
        classified.cumulative_share_before,
        classified.abc_class,
        coalesce(policy_changes.service_level_target, service_levels.service_level_target)
            as service_level_target,
        coalesce(policy_changes.service_level_z, service_levels.service_level_z)
            as service_level_z,
        coalesce(demand.mean_daily_demand, 0) as mean_daily_demand,
        coalesce(demand.demand_sigma_month, 0) as demand_sigma_month,
        case
            when policy_changes.lead_time_days_added is null
                then products.supplier_lead_time_days
            else greatest(
                    products.supplier_lead_time_days + policy_changes.lead_time_days_added, 0
                )
        end as lead_time_days,
        parameters.review_period_days,
        coalesce(products.discontinue_date > {{ month_end('classified.cycle_month') }}, true)
            as is_active
    from classified
    cross join parameters
    inner join service_levels
        on classified.abc_class = service_levels.abc_class
    left join products
        on classified.sku = products.sku
    left join demand
        on classified.cycle_month = demand.cycle_month
        and classified.scenario = demand.scenario
        and classified.sku = demand.sku
    left join policy_changes
        on classified.cycle_month = policy_changes.cycle_month
        and classified.scenario = policy_changes.scenario
        and classified.sku = policy_changes.sku

),

formulas as (

    select
        *,
        case when is_active then demand_sigma_month * sqrt(lead_time_days / 30.4375) else 0 end
            as demand_sigma_lead_time,
        mean_daily_demand * lead_time_days as mean_demand_lead_time,
        mean_daily_demand * review_period_days / 2 as cycle_stock
    from policy

),

final as (

    select
        {{ scenario_surrogate_key(['cycle_month', 'sku']) }} as inventory_policy_id,
        cycle_month,
        scenario,
        sku,
        product_line,
        production_line,
        cast(trailing_net_sales as decimal(18, 2)) as trailing_net_sales,
        cast(cumulative_share_before as double) as cumulative_revenue_share_before,
        abc_class,
        is_active,
        cast(service_level_target as double) as service_level_target,
        cast(service_level_z as double) as service_level_z,
        cast(mean_daily_demand as double) as mean_daily_demand,
        cast(demand_sigma_month as double) as demand_sigma_month,
        cast(lead_time_days as integer) as lead_time_days,
        cast(demand_sigma_lead_time as double) as demand_sigma_lead_time,
        cast(mean_demand_lead_time as double) as mean_demand_lead_time,
        cast(service_level_z * demand_sigma_lead_time as double) as safety_stock_units,
        cast(mean_demand_lead_time + service_level_z * demand_sigma_lead_time as double)
            as reorder_point_units,
        cast(review_period_days as integer) as review_period_days,
        cast(cycle_stock as double) as cycle_stock_units,
        cast(service_level_z * demand_sigma_lead_time + cycle_stock as double) as target_stock_units,
        'safety_stock = z * sigma_month * sqrt(lead_time_days / 30.4375); '
        || 'reorder_point = mean_daily_demand * lead_time_days + safety_stock; '
        || 'target_stock = safety_stock + mean_daily_demand * review_period_days / 2'
            as policy_formula
    from formulas

)

select * from final
