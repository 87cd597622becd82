{#- The price, volume and mix effects of every slice (int_plan_vs_actual_sliced), exact
    (unrounded; the mart rounds them so that they add up to the cent):
      price  = actual revenue - sum(actual units x p)
      volume = (actual units - planned units) x planned average price
    and the mix is the rest; with the share of the unit variance that one customer's change
    explains (int_customer_changes_sliced: its largest change in the variance's direction). -#}
with

sliced as (

    select * from {{ ref('int_plan_vs_actual_sliced') }}

),

customer_sliced as (

    select * from {{ ref('int_customer_changes_sliced') }}

),

final as (

    select
        sliced.level,
        sliced.subject,
        sliced.product_line,
        sliced.region,
        sliced.channel,
        sliced.customer_tier,
        sliced.sku,
        sliced.month,
        sliced.cycle_month,
        sliced.planned_units,
        sliced.actual_units,
        sliced.planned_revenue,
        sliced.actual_revenue,
        sliced.actual_at_planned_price,
        sliced.statistical_units,
        sliced.sales_team_units,
        sliced.cause_price_exact,
        sliced.cause_stockout_exact,
        sliced.cause_override_exact,
        sliced.cause_promotion_exact,
        sliced.cause_new_item_exact,
        sliced.cause_dying_item_exact,
        sliced.ordered_units,
        sliced.filled_units,
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

)

select * from final
