{#- ABC class per planning cycle x scenario x SKU (every SKU of the cycle's consensus): the
    SKUs ranked by their trailing net sales (fct_demand_monthly, abc_lookback_months up to the
    cycle month), the class the first whose cumulative_revenue_share_upper lies above the
    share of the SKUs ranked before it (mart_service_level_targets); the lowest class when
    none does. -#}
with

consensus as (

    select * from {{ ref('int_scenario_demand') }}

),

demand_history as (

    select * from {{ ref('fct_demand_monthly') }}

),

service_levels as (

    select * from {{ ref('mart_service_level_targets') }}

),

parameters as (

    select {{ parameter_value('abc_lookback_months') }}
    from {{ ref('planning_parameters') }}

),

cycle_skus as (

    select distinct
        cycle_month,
        scenario,
        sku
    from consensus

),

trailing_sales as (

    select
        cycle_skus.cycle_month,
        cycle_skus.scenario,
        cycle_skus.sku,
        coalesce(sum(demand_history.net_sales), 0) as trailing_net_sales
    from cycle_skus
    cross join parameters
    left join demand_history
        on cycle_skus.sku = demand_history.sku
        and demand_history.month <= cycle_skus.cycle_month
        and demand_history.month > {{ add_months('cycle_skus.cycle_month',
                                                 '-1 * cast(parameters.abc_lookback_months as integer)') }}
    group by cycle_skus.cycle_month, cycle_skus.scenario, cycle_skus.sku

),

ranked as (

    select
        *,
        (
            sum(trailing_net_sales) over (
                partition by cycle_month, scenario order by trailing_net_sales desc, sku asc
                rows between unbounded preceding and current row
            ) - trailing_net_sales
        ) / nullif(sum(trailing_net_sales) over (partition by cycle_month, scenario), 0)
            as cumulative_share_before
    from trailing_sales

),

lowest_class as (

    select max(abc_class) as abc_class
    from service_levels

),

final as (

    select
        ranked.cycle_month,
        ranked.scenario,
        ranked.sku,
        ranked.trailing_net_sales,
        coalesce(ranked.cumulative_share_before, 1) as cumulative_share_before,
        coalesce(min(service_levels.abc_class), max(lowest_class.abc_class)) as abc_class
    from ranked
    cross join lowest_class
    left join service_levels
        on coalesce(ranked.cumulative_share_before, 1) < service_levels.cumulative_revenue_share_upper
    group by
        ranked.cycle_month, ranked.scenario, ranked.sku, ranked.trailing_net_sales,
        ranked.cumulative_share_before

)

select * from final
