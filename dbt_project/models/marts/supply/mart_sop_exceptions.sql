{#- The decisions the S&OP meeting must take, one row each, with an owner and a severity:
    * capacity_shortfall: a production line cannot make what the plan requires (per line);
    * below_safety_stock: a SKU's projected stock falls below its safety stock (per SKU);
    * consensus_vs_statistical: the consensus departs from the statistical forecast by more
      than consensus_band_pct over the first consensus_window_months (per region x product line);
    * budget_gap: the plan's year-to-date revenue at the last horizon month of a budget year
      departs from the budget by more than budget_gap_pct (per region x product line x year).
    magnitude_pct measures each on one scale (shortfall / requirement of the short months, safety-stock breach /
    safety stock, |consensus - statistical| / statistical, |gap| / budget); severity is high from
    severity_high_ratio, medium from severity_medium_ratio, else low. Owners come from
    planning_owners by function, region and product line, the most specific row winning.
    exception_id is built from the cycle, the type and the subject (and a scenario's name), so it
    is stable across runs. Every scenario of the cycle gets its own exceptions. -#}
with

supply_plan as (

    select * from {{ ref('mart_supply_plan') }}

),

consensus as (

    select * from {{ ref('int_scenario_demand') }}

),

prices as (

    select * from {{ ref('mart_expected_net_prices') }}

),

budget_gap as (

    select * from {{ ref('mart_budget_gap') }}

),

owners as (

    select * from {{ ref('planning_owners') }}

),

parameters as (

    select
        {{ parameter_value('consensus_band_pct') }},
        {{ parameter_value('consensus_window_months') }},
        {{ parameter_value('budget_gap_pct') }},
        {{ parameter_value('severity_medium_ratio') }},
        {{ parameter_value('severity_high_ratio') }}
    from {{ ref('planning_parameters') }}

),

line_product_risk as (

    select
        cycle_month,
        scenario,
        production_line,
        product_line,
        sum(revenue_at_risk) as revenue_at_risk,
        row_number() over (
            partition by cycle_month, scenario, production_line
            order by sum(revenue_at_risk) desc, product_line
        ) as risk_rank
    from supply_plan
    where shortfall_units > 0
    group by cycle_month, scenario, production_line, product_line

),

line_months as (

    select
        cycle_month,
        scenario,
        production_line,
        month,
        sum(required_production_units) as required_units,
        sum(shortfall_units) as shortfall_units,
        sum(revenue_at_risk) as revenue_at_risk
    from supply_plan
    group by cycle_month, scenario, production_line, month

),

capacity_shortfalls as (

    select
        line_months.cycle_month,
        line_months.scenario,
        'capacity_shortfall' as exception_type,
        'supply' as owner_function,
        line_months.production_line as subject,
        line_months.production_line,
        cast(null as {{ dbt.type_string() }}) as sku,
        cast(null as {{ dbt.type_string() }}) as region,
        max(line_product_risk.product_line) as product_line,
        min(line_months.month) as first_month,
        max(line_months.month) as last_month,
        count(*) as months_affected,
        sum(line_months.shortfall_units) as units,
        sum(line_months.revenue_at_risk) as amount,
        sum(line_months.shortfall_units) / nullif(sum(line_months.required_units), 0)
            as magnitude_pct,
        cast(null as double) as threshold_pct
    from line_months
    inner join line_product_risk
        on line_months.cycle_month = line_product_risk.cycle_month
        and line_months.scenario = line_product_risk.scenario
        and line_months.production_line = line_product_risk.production_line
        and line_product_risk.risk_rank = 1
    where line_months.shortfall_units > 0
    group by line_months.cycle_month, line_months.scenario, line_months.production_line

),

stock_breaches as (

    select
        cycle_month,
        scenario,
        'below_safety_stock' as exception_type,
        'supply' as owner_function,
        sku as subject,
        max(production_line) as production_line,
        sku,
        cast(null as {{ dbt.type_string() }}) as region,
        max(product_line) as product_line,
        min(month) as first_month,
        max(month) as last_month,
        count(*) as months_affected,
        max(safety_stock_units - closing_stock_units) as units,
        max(greatest(-closing_stock_units, 0) * expected_net_price) as amount,
        max(safety_stock_units - closing_stock_units) / nullif(max(safety_stock_units), 0)
            as magnitude_pct,
        cast(null as double) as threshold_pct
    from supply_plan
    where is_below_safety_stock
    group by cycle_month, scenario, sku

),

consensus_window as (

    select
        consensus.cycle_month,
        consensus.scenario,
        consensus.region,
        consensus.product_line,
        min(consensus.target_month) as first_month,
        max(consensus.target_month) as last_month,
        count(distinct consensus.target_month) as months_affected,
        sum(consensus.consensus_units) as consensus_units,
        sum(consensus.statistical_units) as statistical_units,
        sum(
            (consensus.consensus_units - consensus.statistical_units)
            * prices.expected_net_price * consensus.price_multiplier
        ) as revenue_difference,
        max(parameters.consensus_band_pct) as band_pct
    from consensus
    cross join parameters
    inner join prices
        on consensus.cycle_month = prices.cycle_month
        and consensus.sku = prices.sku
        and consensus.region = prices.region
        and consensus.channel = prices.channel
    where consensus.lag_months <= parameters.consensus_window_months
    group by consensus.cycle_month, consensus.scenario, consensus.region, consensus.product_line

),

consensus_departures as (

    select
        cycle_month,
        scenario,
        'consensus_vs_statistical' as exception_type,
        'sales' as owner_function,
        region || ' / ' || product_line as subject,
        cast(null as {{ dbt.type_string() }}) as production_line,
        cast(null as {{ dbt.type_string() }}) as sku,
        region,
        product_line,
        first_month,
        last_month,
        months_affected,
        consensus_units - statistical_units as units,
        revenue_difference as amount,
        abs(consensus_units - statistical_units) / nullif(statistical_units, 0) as magnitude_pct,
        band_pct as threshold_pct
    from consensus_window
    where abs(consensus_units - statistical_units) > band_pct * statistical_units

),

budget_year_end as (

    select
        budget_gap.*,
        row_number() over (
            partition by
                budget_gap.cycle_month,
                budget_gap.scenario,
                budget_gap.product_line,
                budget_gap.region,
                budget_gap.budget_year
            order by budget_gap.month desc
        ) as month_rank,
        count(*)
            over (
                partition by
                    budget_gap.cycle_month,
                    budget_gap.scenario,
                    budget_gap.product_line,
                    budget_gap.region,
                    budget_gap.budget_year
            )
            as plan_months
    from budget_gap

),

budget_gaps as (

    select
        budget_year_end.cycle_month,
        budget_year_end.scenario,
        'budget_gap' as exception_type,
        'sales' as owner_function,
        budget_year_end.region || ' / ' || budget_year_end.product_line || ' / '
        || cast(budget_year_end.budget_year as {{ dbt.type_string() }}) as subject,
        cast(null as {{ dbt.type_string() }}) as production_line,
        cast(null as {{ dbt.type_string() }}) as sku,
        budget_year_end.region,
        budget_year_end.product_line,
        {{ add_months('budget_year_end.month', '1 - budget_year_end.plan_months') }} as first_month,
        budget_year_end.month as last_month,
        budget_year_end.plan_months as months_affected,
        budget_year_end.ytd_units_p50 - budget_year_end.ytd_budget_units as units,
        budget_year_end.ytd_revenue_gap_p50 as amount,
        abs(budget_year_end.ytd_revenue_gap_pct) as magnitude_pct,
        parameters.budget_gap_pct as threshold_pct
    from budget_year_end
    cross join parameters
    where budget_year_end.month_rank = 1
        and abs(budget_year_end.ytd_revenue_gap_pct) > parameters.budget_gap_pct

),

exceptions as (

    select * from capacity_shortfalls
    union all
    select * from stock_breaches
    union all
    select * from consensus_departures
    union all
    select * from budget_gaps

),

owner_candidates as (

    select
        exceptions.cycle_month,
        exceptions.scenario,
        exceptions.exception_type,
        exceptions.subject,
        owners.owner_name,
        row_number() over (
            partition by
                exceptions.cycle_month, exceptions.scenario, exceptions.exception_type,
                exceptions.subject
            order by
                case when owners.region = '*' then 0 else 2 end
                + case when owners.product_line = '*' then 0 else 1 end desc
        ) as specificity_rank
    from exceptions
    inner join owners
        on exceptions.owner_function = owners.owner_function
        and (owners.region = '*' or owners.region = exceptions.region)
        and (owners.product_line = '*' or owners.product_line = exceptions.product_line)

),

final as (

    select
        {{ scenario_surrogate_key(['exceptions.cycle_month', 'exceptions.exception_type',
                                   'exceptions.subject'], scenario='exceptions.scenario') }}
            as exception_id,
        exceptions.cycle_month,
        exceptions.scenario,
        exceptions.exception_type,
        exceptions.subject,
        exceptions.production_line,
        exceptions.sku,
        exceptions.region,
        exceptions.product_line,
        exceptions.first_month,
        exceptions.last_month,
        cast(exceptions.months_affected as integer) as months_affected,
        cast(exceptions.units as double) as units,
        cast(exceptions.amount as double) as amount,
        cast(exceptions.magnitude_pct as double) as magnitude_pct,
        cast(exceptions.threshold_pct as double) as threshold_pct,
        case
            when coalesce(exceptions.magnitude_pct, 1) >= parameters.severity_high_ratio then 'high'
            when exceptions.magnitude_pct >= parameters.severity_medium_ratio then 'medium'
            else 'low'
        end as severity,
        exceptions.owner_function,
        coalesce(owner_candidates.owner_name, 'unassigned') as owner_name
    from exceptions
    cross join parameters
    left join owner_candidates
        on exceptions.cycle_month = owner_candidates.cycle_month
        and exceptions.scenario = owner_candidates.scenario
        and exceptions.exception_type = owner_candidates.exception_type
        and exceptions.subject = owner_candidates.subject
        and owner_candidates.specificity_rank = 1

)

select * from final
