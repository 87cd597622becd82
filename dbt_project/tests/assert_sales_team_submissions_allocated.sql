{#- Warns (never fails the plans) when a sales-team submission could not be placed on any base
    series of its cycle: the rows are int_consensus_unallocated's. -#}
{{ config(severity='warn') }}

select
    cycle_month,
    region,
    product_line,
    target_month,
    forecast_units
from {{ ref('int_consensus_unallocated') }}
