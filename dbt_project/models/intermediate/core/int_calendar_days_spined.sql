{#- One row per calendar day from var calendar_start_date (inclusive) to calendar_end_date
    (exclusive), built with dbt's own date spine. -#}
with

spine as (

    {{ dbt.date_spine(
        'day',
        "cast('" ~ var('calendar_start_date') ~ "' as date)",
        "cast('" ~ var('calendar_end_date') ~ "' as date)",
    ) }}

),

final as (

    select cast(date_day as date) as date_day
    from spine
    where date_day < cast('{{ var("calendar_end_date") }}' as date)

)

select * from final
