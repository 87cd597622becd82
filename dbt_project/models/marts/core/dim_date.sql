with

calendar as (

    select * from {{ ref('int_calendar_days_spined') }}

),

final as (

    select
        date_day,
        {{ month_start('date_day') }} as month_start_date,
        cast({{ dbt.date_trunc('quarter', 'date_day') }} as date) as quarter_start_date,
        cast({{ dbt.date_trunc('year', 'date_day') }} as date) as year_start_date,
        cast(extract(year from date_day) as integer) as year_number,
        cast(extract(quarter from date_day) as integer) as quarter_number,
        cast(extract(month from date_day) as integer) as month_number,
        cast(extract(day from date_day) as integer) as day_of_month,
        {{ iso_day_of_week('date_day') }} as day_of_week,
        {{ iso_day_of_week('date_day') }} >= 6 as is_weekend,
        cast({{ days_in_month(month_start('date_day')) }} as integer)
            as days_in_month,
        date_day = {{ month_end(month_start('date_day')) }} as is_month_end
    from calendar

)

select * from final
