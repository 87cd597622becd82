{#- Forecast value added per report month and lag (1-3), over the 12 target months ending with
    the report month: the mean total-level accuracy of each method and the mean FVA of each
    step (mart_forecast_accuracy.fva_wape: statistical against naive, consensus against
    statistical; positive = the step improved the forecast). Only target months where all
    three methods were measured are averaged, so the comparison is like for like. -#}
with

accuracy as (

    select * from {{ ref('rpt_forecast_accuracy') }}
    where lag_months between 1 and 3

),

complete_months as (

    select
        target_month,
        lag_months,
        max(case when method = 'naive' then forecast_accuracy end) as naive_accuracy,
        max(case when method = 'statistical' then forecast_accuracy end) as statistical_accuracy,
        max(case when method = 'consensus' then forecast_accuracy end) as consensus_accuracy,
        max(case when method = 'statistical' then fva_wape end) as fva_stat_vs_naive,
        max(case when method = 'consensus' then fva_wape end) as fva_consensus_vs_stat
    from accuracy
    group by target_month, lag_months
    having count(distinct method) = 3
        and count(wape) = 3

),

report_months as (

    select distinct month_start_date as report_month
    from {{ ref('dim_date') }}
    where month_start_date between (select min(target_month) from complete_months)
        and (select max(target_month) from complete_months) + interval 11 month

),

windowed as (

    select
        report_months.report_month,
        complete_months.*
    from report_months
    inner join complete_months
        on complete_months.target_month <= report_months.report_month
        and complete_months.target_month > report_months.report_month - interval 12 month

),

final as (

    select
        cast(report_month as date) as report_month,
        lag_months,
        count(*) as months,
        avg(naive_accuracy) as naive_accuracy,
        avg(statistical_accuracy) as statistical_accuracy,
        avg(consensus_accuracy) as consensus_accuracy,
        avg(fva_stat_vs_naive) as fva_stat_vs_naive,
        avg(fva_consensus_vs_stat) as fva_consensus_vs_stat
    from windowed
    group by report_month, lag_months

)

select * from final
