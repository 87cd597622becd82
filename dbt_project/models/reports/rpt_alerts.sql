{#- The alert list of each cycle (open ones and those closed earlier), with a severity rank for
    ordering (1 = critical). -#}
with

alerts as (

    select * from {{ ref('mart_alerts') }}

),

final as (

    select
        as_of_month,
        alert_id,
        rule,
        subject,
        figures,
        evidence_1,
        evidence_2,
        evidence_3,
        evidence_4,
        evidence_date,
        evidence_text,
        owner,
        severity,
        case severity when 'critical' then 1 when 'high' then 2 when 'medium' then 3 else 4 end
            as severity_rank,
        first_seen_cycle,
        last_seen_cycle,
        is_open
    from alerts

)

select * from final
