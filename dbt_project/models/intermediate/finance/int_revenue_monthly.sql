{#- Recognised net revenue and COGS by month of recognition (fct_revenue_lines, by revenue
    date): the metric net_revenue and the COGS of inventory_turns at month grain. Read by
    int_inventory_kpis_monthly and mart_kpis_monthly. -#}
with

revenue_lines as (

    select * from {{ ref('fct_revenue_lines') }}

),

final as (

    select
        {{ month_start('revenue_date') }} as month,
        sum(cogs_amount) as cogs,
        sum(net_revenue_amount) as net_revenue
    from revenue_lines
    group by {{ month_start('revenue_date') }}

)

select * from final
