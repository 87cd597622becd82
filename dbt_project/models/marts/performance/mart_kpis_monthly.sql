{#- The monthly KPIs, one row per month x KPI, with the target (seed kpi_targets; net revenue's
    target is the month's budget). Every value applies a metric-layer definition at month grain:
      forecast_accuracy / forecast_bias: 1 - WAPE and bias of the lag-1 consensus forecast at the
        forecasting grain, total level (mart_forecast_accuracy);
      fill_rate, otif, stockout_rate: int_service_kpis_monthly (order lines by order date);
      inventory_turns, days_of_supply, inventory_value: int_inventory_kpis_monthly;
      dso, cash_collected: int_cash_kpis_monthly;
      net_revenue (metric net_revenue): int_revenue_monthly.
    A KPI whose source the company does not send has no rows (orchestration/capabilities.py). -#}
with

accuracy as (

    select * from {{ ref('mart_forecast_accuracy') }}

),

service_kpis as (

    select * from {{ ref('int_service_kpis_monthly') }}

),

inventory_kpis as (

    select * from {{ ref('int_inventory_kpis_monthly') }}

),

cash_kpis as (

    select * from {{ ref('int_cash_kpis_monthly') }}

),

revenue as (

    select * from {{ ref('int_revenue_monthly') }}

),

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

budget as (

    select * from {{ ref('fct_budget') }}

),

targets as (

    select * from {{ ref('kpi_targets') }}

),

data_end as (

    select max(order_date) as last_order_date
    from order_lines

),

forecast_kpis as (

    select
        target_month as month,
        'forecast_accuracy' as kpi,
        forecast_accuracy as value
    from accuracy
    where level = 'total' and lag_months = 1 and method = 'consensus'
    union all
    select
        target_month as month,
        'forecast_bias' as kpi,
        bias as value
    from accuracy
    where level = 'total' and lag_months = 1 and method = 'consensus'

),

all_kpis as (

    select
        month,
        kpi,
        value
    from forecast_kpis
    union all
    select
        month,
        kpi,
        value
    from service_kpis
    union all
    select
        month,
        kpi,
        value
    from inventory_kpis
    union all
    select
        month,
        kpi,
        value
    from cash_kpis
    union all
    select
        month,
        'net_revenue',
        net_revenue
    from revenue

),

budget_revenue as (

    select
        month,
        sum(budget_revenue) as budget_revenue
    from budget
    group by month

),

final as (

    select
        {{ surrogate_key(['all_kpis.month', 'all_kpis.kpi']) }} as kpi_month_id,
        all_kpis.month,
        all_kpis.kpi,
        targets.metric_name,
        cast(all_kpis.value as double) as value,
        cast(
            case when all_kpis.kpi = 'net_revenue' then budget_revenue.budget_revenue
                else targets.target
            end
            as double
        ) as target,
        targets.higher_is_better,
        cast(targets.tolerance as double) as tolerance,
        targets.grain,
        {{ month_end('all_kpis.month') }} <= data_end.last_order_date as is_complete_month
    from all_kpis
    cross join data_end
    left join targets
        on all_kpis.kpi = targets.kpi
    left join budget_revenue
        on all_kpis.kpi = 'net_revenue'
        and all_kpis.month = budget_revenue.month

)

select * from final
