{#- The causes of every slice's variance (int_plan_vs_actual_effects): the cause amounts rounded
    to the cent, the forecast error taking the rounding residual so that the seven parts add up
    to the variance to the cent, each cause's share of the variance, and the likely cause: the
    named cause with the largest part in the direction of the variance when it explains at least
    cause_min_share of it; else one customer's change of that size (big_customer_change); else
    none_evident (the statistical forecast's own error is not a cause). A slice on plan (its
    variance under cause_min_variance_share of its planned revenue) names no cause: the shares
    of a variance of a few cents are rounding noise. -#}
{%- set causes = ['price', 'stockout', 'override', 'promotion', 'new_item', 'dying_item'] -%}
with

effects as (

    select * from {{ ref('int_plan_vs_actual_effects') }}

),

parameters as (

    select
        {{ parameter_value('cause_min_share') }},
        {{ parameter_value('cause_min_variance_share') }}
    from {{ ref('performance_parameters') }}

),

rounded_causes as (

    select
        effects.*,
        cast(round(effects.actual_revenue, 2) as decimal(18, 2))
        - cast(round(effects.planned_revenue, 2) as decimal(18, 2)) as revenue_variance_cents,
        {% for cause in causes -%}
            cast(round(effects.cause_{{ cause }}_exact, 2) as decimal(18, 2)) as cause_{{ cause }}_amount,
        {% endfor -%}
        parameters.cause_min_share,
        abs(effects.actual_revenue - effects.planned_revenue)
        >= coalesce(parameters.cause_min_variance_share, 0) * abs(effects.planned_revenue)
            as is_material
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
            case
                when is_material
                    then coalesce(
                            cast(cause_{{ cause }}_amount as double)
                            / nullif(cast(revenue_variance_cents as double), 0), 0
                        )
                else 0
            end as {{ cause }}_share,
        {% endfor -%}
        case when is_material then coalesce(big_customer_share, 0) else 0 end as customer_share
    from rounded_causes

),

top_shares as (

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
        level,
        subject,
        product_line,
        region,
        channel,
        customer_tier,
        sku,
        month,
        cycle_month,
        planned_units,
        actual_units,
        planned_revenue,
        actual_revenue,
        planned_avg_price,
        price_effect_exact,
        volume_effect_exact,
        ordered_units,
        filled_units,
        statistical_units,
        sales_team_units,
        {% for cause in causes -%}
            cause_{{ cause }}_amount,
        {% endfor -%}
        cause_forecast_error_amount,
        case
            when top_named_share >= cause_min_share
                then
                    case top_named_share
                        when override_share then 'consensus_override'
                        when stockout_share then 'stockout_capped'
                        when price_share then 'price_change'
                        when promotion_share then 'unplanned_promotion'
                        when new_item_share then 'new_item'
                        else 'dying_item'
                    end
            when customer_share >= cause_min_share then 'big_customer_change'
            else 'none_evident'
        end as likely_cause,
        case
            when top_named_share >= cause_min_share then top_named_share
            when customer_share >= cause_min_share then customer_share
            else greatest(top_named_share, customer_share)
        end as likely_cause_share
    from top_shares

)

select * from final
