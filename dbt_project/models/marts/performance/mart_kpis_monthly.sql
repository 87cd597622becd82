{#- The monthly KPIs, one row per month x KPI, with the target (seed kpi_targets; net revenue's
    target is the month's budget). Every value applies a metric-layer definition at month grain:
      forecast_accuracy / forecast_bias: 1 - WAPE and bias of the lag-1 consensus forecast at the
        forecasting grain, total level (mart_forecast_accuracy);
      fill_rate (metric fill_rate_units) and otif (metric otif_rate): order lines booked in the
        month (fct_order_lines, by order date);
      stockout_rate: share of the SKUs ordered in the month whose order lines filled below
        stockout_fill_rate_below (seed performance_parameters) - the SKUs mart_plan_vs_actual counts
        in stockout_sku_count, so the rate and the count never disagree (needs shipments and
        inventory snapshots: a short fill is called a stock-out only where stock is counted);
      inventory_turns (metric inventory_turns): COGS / inventory_value_years of the month;
      days_of_supply (metric days_of_supply): on-hand at month end / ordered units per day;
      inventory_value (metric inventory_value): month-end on hand x standard cost;
      dso (metric dso): month-end receivables / (invoiced in the month / its days);
      cash_collected (metric cash_collected), net_revenue (metric net_revenue).
    A KPI whose source the company does not send has no rows (orchestration/capabilities.py). -#}
with

accuracy as (

    select * from {{ ref('mart_forecast_accuracy') }}

),

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

inventory as (

    select * from {{ ref('fct_inventory_monthly') }}

),

demand as (

    select * from {{ ref('fct_demand_monthly') }}

),

revenue_lines as (

    select * from {{ ref('fct_revenue_lines') }}

),

receivables as (

    select * from {{ ref('fct_receivables_monthly') }}

),

receipts as (

    select * from {{ ref('fct_cash_receipts') }}

),

budget as (

    select * from {{ ref('fct_budget') }}

),

targets as (

    select * from {{ ref('kpi_targets') }}

),

parameters as (

    select {{ parameter_value('stockout_fill_rate_below') }}
    from {{ ref('performance_parameters') }}

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

order_kpis as (

    select
        {{ month_start('order_date') }} as month,
        sum(filled_qty) * 1.0 / nullif(sum(ordered_qty), 0) as fill_rate,
        sum(case when is_on_time_in_full then 1 else 0 end) * 1.0 / count(*) as otif
    from order_lines
    where {{ source_provided('shipments') }}
    group by {{ month_start('order_date') }}

),

sku_fill as (

    select
        {{ month_start('order_date') }} as month,
        sku,
        sum(filled_qty) * 1.0 / nullif(sum(ordered_qty), 0) as fill_rate
    from order_lines
    where {{ source_provided(['shipments', 'inventory_snapshots']) }}
    group by {{ month_start('order_date') }}, sku

),

stockout_kpis as (

    select
        sku_fill.month,
        sum(case when sku_fill.fill_rate < parameters.stockout_fill_rate_below then 1 else 0 end)
        * 1.0 / count(*) as stockout_rate
    from sku_fill
    cross join parameters
    where sku_fill.fill_rate is not null
    group by sku_fill.month

),

cogs_monthly as (

    select
        {{ month_start('revenue_date') }} as month,
        sum(cogs_amount) as cogs,
        sum(net_revenue_amount) as net_revenue
    from revenue_lines
    group by {{ month_start('revenue_date') }}

),

demand_monthly as (

    select
        month,
        sum(ordered_units_per_day) as ordered_units_per_day
    from demand
    group by month

),

inventory_kpis as (

    select
        inventory_totals.month,
        cogs_monthly.cogs / nullif(inventory_totals.inventory_value_years, 0) as inventory_turns,
        inventory_totals.on_hand_units / nullif(demand_monthly.ordered_units_per_day, 0)
            as days_of_supply,
        inventory_totals.inventory_value
    from (
        select
            month,
            sum(inventory_value_years) as inventory_value_years,
            sum(closing_on_hand_qty) as on_hand_units,
            sum(closing_inventory_value) as inventory_value
        from inventory
        group by month
    ) as inventory_totals
    left join cogs_monthly
        on inventory_totals.month = cogs_monthly.month
    left join demand_monthly
        on inventory_totals.month = demand_monthly.month

),

cash_kpis as (

    select
        receivable_totals.month,
        receivable_totals.closing_receivables
        / nullif(receivable_totals.invoiced_amount_per_day, 0) as dso,
        collected.cash_collected
    from (
        select
            month,
            sum(closing_receivables) as closing_receivables,
            sum(invoiced_amount_per_day) as invoiced_amount_per_day
        from receivables
        group by month
    ) as receivable_totals
    left join (
        select
            {{ month_start('receipt_date') }} as month,
            sum(receipt_amount) as cash_collected
        from receipts
        group by {{ month_start('receipt_date') }}
    ) as collected
        on receivable_totals.month = collected.month

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
        'fill_rate',
        fill_rate
    from order_kpis
    union all
    select
        month,
        'otif',
        otif
    from order_kpis
    union all
    select
        month,
        'stockout_rate',
        stockout_rate
    from stockout_kpis
    union all
    select
        month,
        'inventory_turns',
        inventory_turns
    from inventory_kpis
    union all
    select
        month,
        'days_of_supply',
        days_of_supply
    from inventory_kpis
    union all
    select
        month,
        'inventory_value',
        inventory_value
    from inventory_kpis
    union all
    select
        month,
        'dso',
        dso
    from cash_kpis
    union all
    select
        month,
        'cash_collected',
        cash_collected
    from cash_kpis
    union all
    select
        month,
        'net_revenue',
        net_revenue
    from cogs_monthly

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
