{#- The KPI table of the retrospective: each KPI of each month beside the month before, its
    target, the gap to it and whether it is on target. A KPI without a direction
    (higher_is_better null, e.g. bias) is on target within its tolerance of the target
    (2 points when the seed gives none). -#}
with

kpis as (

    select * from {{ ref('mart_kpis_monthly') }}

),

with_previous as (

    select
        kpis.month,
        kpis.kpi,
        kpis.value,
        previous.value as prev_value,
        kpis.target,
        kpis.higher_is_better,
        kpis.tolerance,
        kpis.grain
    from kpis
    left join kpis as previous
        on kpis.kpi = previous.kpi
        and previous.month = cast(kpis.month - interval 1 month as date)

),

compared as (

    select
        *,
        value - prev_value as change,
        value - target as vs_target
    from with_previous

),

final as (

    select
        month,
        kpi,
        value,
        prev_value,
        change,
        target,
        vs_target,
        higher_is_better,
        tolerance,
        grain,
        case
            when vs_target is null then null
            when higher_is_better is null then abs(vs_target) <= coalesce(tolerance, 0.02)
            when higher_is_better then vs_target >= 0
            else vs_target <= 0
        end as is_on_target
    from compared

)

select * from final
