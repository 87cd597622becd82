{#- Accounts receivable per customer and month, for DSO. closing = opening + invoiced -
    collected. dso_days applies the DSO definition to one customer-month: closing receivables
    / (invoiced in the month / days in the month); empty when nothing was invoiced. -#}
with

receivables as (

    select * from {{ ref('int_receivables_rolled_forward') }}

),

final as (

    select
        {{ surrogate_key(['customer_id', 'month']) }} as receivable_month_id,
        customer_id,
        month,
        cast(opening_receivables as decimal(18, 2)) as opening_receivables,
        cast(invoiced_amount as decimal(18, 2)) as invoiced_amount,
        cast(collected_amount as decimal(18, 2)) as collected_amount,
        cast(closing_receivables as decimal(18, 2)) as closing_receivables,
        cast(days_in_month as integer) as days_in_month,
        cast(invoiced_amount / days_in_month as double) as invoiced_amount_per_day,
        cast(
            case
                when invoiced_amount > 0
                    then closing_receivables * days_in_month / invoiced_amount
            end as double
        ) as dso_days
    from receivables

)

select * from final
