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
    The steps are intermediate models (models/intermediate/performance): the plan side
    (int_plan_cells), the actual side (int_actual_cells, int_order_cells), the cells with their
    cause parts (int_plan_vs_actual_cells), the slices (int_plan_vs_actual_sliced), the effects
    (int_plan_vs_actual_effects), the causes (int_plan_vs_actual_causes) and stock and production
    (int_operations_sliced); this model joins them and fixes the contract's types.
    Empty unless capability revenue_actuals has its sources (dbt_project.yml vars). -#}
with

causes as (

    select * from {{ ref('int_plan_vs_actual_causes') }}

),

operations_sliced as (

    select * from {{ ref('int_operations_sliced') }}

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
        causes.likely_cause,
        cast(causes.likely_cause_share as double) as likely_cause_share,
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
