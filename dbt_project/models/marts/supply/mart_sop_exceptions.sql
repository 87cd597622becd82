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

supply_exceptions as (

    select * from {{ ref('int_supply_exceptions_detected') }}

),

consensus_departures as (

    select * from {{ ref('int_consensus_departures_detected') }}

),

budget_gaps as (

    select * from {{ ref('int_budget_gaps_detected') }}

),

owners as (

    select * from {{ ref('planning_owners') }}

),

parameters as (

    select
        {{ parameter_value('severity_medium_ratio') }},
        {{ parameter_value('severity_high_ratio') }}
    from {{ ref('planning_parameters') }}

),

exceptions as (

    select * from supply_exceptions
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
