{#- The months plan vs actual reviews: every complete month (its last day on or before the last
    order date loaded) with a lag-1 plan of record, and the cycle that planned it. -#}
with

plan_demand as (

    select * from {{ ref('int_plan_demand_selected') }}

),

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

data_end as (

    select max(order_date) as last_order_date
    from order_lines

),

final as (

    select distinct
        plan_demand.target_month as month,
        plan_demand.cycle_month
    from plan_demand
    cross join data_end
    where plan_demand.lag_months = 1
        and {{ month_end('plan_demand.target_month') }} <= data_end.last_order_date

)

select * from final
