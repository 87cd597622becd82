"""Schedules: the daily refresh and the monthly planning cycle, at times set in ``config/platform.yml``.

Each tick tags its run with its as-of date (``sop/as_of``, the tick's date in
the configured timezone), so freshness is measured against the day the run
was meant for, also when a missed tick runs late.
"""

import datetime as dt

import dagster as dg

from orchestration.checks import AS_OF_TAG
from orchestration.settings import platform_settings

_SCHEDULES = platform_settings()["schedules"]
TIMEZONE = _SCHEDULES["timezone"]


def last_closed_month(day: dt.date) -> str:
    """Partition key of the planning cycle to run on ``day``: the month before it."""
    previous = day.replace(day=1) - dt.timedelta(days=1)
    return previous.replace(day=1).isoformat()


@dg.schedule(
    name="daily_schedule",
    job_name="daily_job",
    cron_schedule=_SCHEDULES["daily_cron"],
    execution_timezone=TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Ingest new extracts, rebuild the warehouse and run the checks, every day.",
)
def daily_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    day = context.scheduled_execution_time.date()
    return dg.RunRequest(run_key=f"daily:{day.isoformat()}", tags={AS_OF_TAG: day.isoformat()})


@dg.schedule(
    name="monthly_planning_schedule",
    job_name="planning_job",
    cron_schedule=_SCHEDULES["monthly_cron"],
    execution_timezone=TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="The planning cycle of the month just closed: forecast, plans, performance marts, "
    "report and publish.",
)
def monthly_planning_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    day = context.scheduled_execution_time.date()
    cycle = last_closed_month(day)
    return dg.RunRequest(
        run_key=f"planning:{cycle}", partition_key=cycle, tags={AS_OF_TAG: day.isoformat()}
    )


schedules = [daily_schedule, monthly_planning_schedule]
