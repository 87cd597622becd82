{#- The inventory KPIs of mart_kpis_monthly, one row per month x KPI, for the months with
    stock counted (fct_inventory_monthly):
      inventory_turns (metric inventory_turns): COGS (int_revenue_monthly) / inventory_value_years;
      days_of_supply (metric days_of_supply): on-hand at month end / ordered units per day
        (fct_demand_monthly);
      inventory_value (metric inventory_value): month-end on hand x standard cost. -#}
with

inventory as (

    select * from {{ ref('fct_inventory_monthly') }}

),

demand as (

    select * from {{ ref('fct_demand_monthly') }}

),

revenue as (

    select * from {{ ref('int_revenue_monthly') }}

),

inventory_totals as (

    select
        month,
        sum(inventory_value_years) as inventory_value_years,
        sum(closing_on_hand_qty) as on_hand_units,
        sum(closing_inventory_value) as inventory_value
    from inventory
    group by month

),

demand_totals as (

    select
        month,
        sum(ordered_units_per_day) as ordered_units_per_day
    from demand
    group by month

),

inventory_kpis as (

    select
        inventory_totals.month,
        revenue.cogs / nullif(inventory_totals.inventory_value_years, 0) as inventory_turns,
        inventory_totals.on_hand_units / nullif(demand_totals.ordered_units_per_day, 0)
            as days_of_supply,
        inventory_totals.inventory_value
    from inventory_totals
    left join revenue
        on inventory_totals.month = revenue.month
    left join demand_totals
        on inventory_totals.month = demand_totals.month

),

final as (

    select
        month,
        'inventory_turns' as kpi,
        inventory_turns as value
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

)

select * from final
