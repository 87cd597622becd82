{#- How customers pay, per planning cycle x customer tier x collection lag (months from the
    invoice month to the receipt month): the share of collected cash that arrives with that lag.
    Measured on invoices old enough to be fully observed by the cycle's end (invoice months in
    the collection_lookback_months before the last collection_max_lag_months), with receipts up
    to the cycle month's end; later receipts count in the last lag. Weights sum to 1 per tier
    (what is collected, is collected on this profile); the tier 'all' pools every customer and
    stands in for a tier without history. uncollected_share reports what was never paid.
    Empty unless capability cash has its sources (dbt_project.yml vars). -#}
with

receipts as (

    select * from {{ ref('fct_cash_receipts') }}

),

invoices as (

    select * from {{ ref('fct_invoices') }}

),

customers as (

    select * from {{ ref('dim_customer') }}

),

consensus as (

    select * from {{ ref('fct_consensus_forecast') }}

),

parameters as (

    select
        {{ parameter_value('collection_lookback_months', alias='lookback_months', cast_as='integer') }},
        {{ parameter_value('collection_max_lag_months', alias='max_lag_months', cast_as='integer') }}
    from {{ ref('planning_parameters') }}

),

cycles as (

    select distinct cycle_month
    from consensus

),

window_invoices as (

    select
        cycles.cycle_month,
        invoices.invoice_id,
        {{ month_start('invoices.invoice_date') }} as invoice_month,
        customers.tier as customer_tier,
        invoices.invoice_amount,
        parameters.max_lag_months
    from cycles
    cross join parameters
    inner join invoices
        on {{ month_start('invoices.invoice_date') }}
        <= {{ add_months('cycles.cycle_month', '-1 * parameters.max_lag_months') }}
        and {{ month_start('invoices.invoice_date') }}
        > {{ add_months('cycles.cycle_month',
                            '-1 * (parameters.max_lag_months + parameters.lookback_months)') }}
    inner join customers
        on invoices.customer_id = customers.customer_id

),

window_receipts as (

    select
        window_invoices.cycle_month,
        window_invoices.customer_tier,
        least(
            greatest({{ dbt.datediff('window_invoices.invoice_month',
                                     month_start('receipts.receipt_date'), 'month') }}, 0),
            window_invoices.max_lag_months
        ) as lag_months,
        receipts.receipt_amount
    from window_invoices
    inner join receipts
        on window_invoices.invoice_id = receipts.invoice_id
        and receipts.receipt_date <= {{ month_end('window_invoices.cycle_month') }}

),

tiers as (

    select
        cycle_month,
        customer_tier
    from window_invoices
    union all
    select
        cycle_month,
        'all' as customer_tier
    from window_invoices

),

receipts_by_tier as (

    select
        cycle_month,
        customer_tier,
        lag_months,
        receipt_amount
    from window_receipts
    union all
    select
        cycle_month,
        'all' as customer_tier,
        lag_months,
        receipt_amount
    from window_receipts

),

invoiced_by_tier as (

    select
        cycle_month,
        customer_tier,
        sum(invoice_amount) as invoiced_amount
    from (
        select
            cycle_month,
            customer_tier,
            invoice_amount
        from window_invoices
        union all
        select
            cycle_month,
            'all' as customer_tier,
            invoice_amount
        from window_invoices
    ) as invoices_with_all
    group by cycle_month, customer_tier

),

lags as (

    select distinct
        tiers.cycle_month,
        tiers.customer_tier,
        lag_grid.lag_months
    from tiers
    cross join parameters
    inner join (
        select distinct lag_months from window_receipts
        union
        select 0 as lag_months
    ) as lag_grid
        on lag_grid.lag_months <= parameters.max_lag_months

),

collected as (

    select
        lags.cycle_month,
        lags.customer_tier,
        lags.lag_months,
        coalesce(sum(receipts_by_tier.receipt_amount), 0) as collected_amount
    from lags
    left join receipts_by_tier
        on lags.cycle_month = receipts_by_tier.cycle_month
        and lags.customer_tier = receipts_by_tier.customer_tier
        and lags.lag_months = receipts_by_tier.lag_months
    group by lags.cycle_month, lags.customer_tier, lags.lag_months

),

final as (

    select
        {{ surrogate_key(['collected.cycle_month', 'collected.customer_tier',
                          'collected.lag_months']) }} as collection_profile_id,
        collected.cycle_month,
        collected.customer_tier,
        cast(collected.lag_months as integer) as lag_months,
        cast(collected.collected_amount as decimal(18, 2)) as collected_amount,
        cast(
            collected.collected_amount
            / nullif(sum(collected.collected_amount) over tier_profile, 0) as double
        ) as collection_weight,
        cast(
            1 - sum(collected.collected_amount) over tier_profile
            / nullif(invoiced_by_tier.invoiced_amount, 0) as double
        ) as uncollected_share
    from collected
    inner join invoiced_by_tier
        on collected.cycle_month = invoiced_by_tier.cycle_month
        and collected.customer_tier = invoiced_by_tier.customer_tier
    where {{ capability_available('cash') }}
    window tier_profile as (partition by collected.cycle_month, collected.customer_tier)

)

select * from final
