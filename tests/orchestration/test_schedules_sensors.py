"""The landing sensor's run keys and cursor, and the schedules' run requests."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from orchestration.resources import SopHome
from orchestration.schedules import daily_schedule, last_closed_month, monthly_planning_schedule
from orchestration.sensors import landing_sensor
from orchestration.settings import platform_settings

ORDER_FILE = "sales/order_lines/order_lines_2026-01-12.csv"


@pytest.fixture
def landing(tmp_path) -> Path:
    path = tmp_path / "landing" / ORDER_FILE
    path.parent.mkdir(parents=True)
    path.write_text("order_id,line_number\nSO-1,1\n", encoding="utf-8")
    (tmp_path / "landing" / "notes.txt").write_text("not an extract", encoding="utf-8")
    return tmp_path / "landing"


def _evaluate(landing: Path, instance: dg.DagsterInstance, cursor: str | None = None):
    context = dg.build_sensor_context(
        instance=instance, cursor=cursor, resources={"sop_home": SopHome(path=str(landing.parent))}
    )
    return landing_sensor(context)


def test_landing_sensor_one_run_per_file_version(landing):
    with dg.instance_for_test() as instance:
        first = _evaluate(landing, instance)
        again = _evaluate(landing, instance)
        [request] = first.run_requests
        assert [r.run_key for r in again.run_requests] == [request.run_key]
        assert request.run_key.startswith(f"{ORDER_FILE}:")
        assert request.asset_selection == [dg.AssetKey(["raw", "order_lines"])]

        after_cursor = _evaluate(landing, instance, first.cursor)
        assert after_cursor.run_requests == []
        assert json.loads(first.cursor) == json.loads(after_cursor.cursor)

        changed = landing / ORDER_FILE
        changed.write_text("order_id,line_number\nSO-1,1\nSO-2,1\n", encoding="utf-8")
        os.utime(changed, ns=(changed.stat().st_atime_ns, changed.stat().st_mtime_ns + 1_000_000))
        [new_version] = _evaluate(landing, instance, first.cursor).run_requests
        assert new_version.run_key != request.run_key


def test_landing_sensor_groups_a_full_folder_into_one_run_per_source(landing):
    more = landing / "sales/order_lines/order_lines_2026-01-13.csv"
    more.write_text("order_id,line_number\nSO-3,1\n", encoding="utf-8")
    products = landing / "masters/products.csv"
    products.parent.mkdir(parents=True)
    products.write_text("sku\nA\n", encoding="utf-8")
    with dg.instance_for_test() as instance:
        first = _evaluate(landing, instance)
        selections = sorted(r.asset_selection[0].to_user_string() for r in first.run_requests)
        assert selections == ["raw/order_lines", "raw/products"]
        again = _evaluate(landing, instance)
        assert [r.run_key for r in again.run_requests] == [r.run_key for r in first.run_requests]


def test_landing_sensor_resolves_the_folder_at_evaluation_time(tmp_path):
    with dg.instance_for_test() as instance:
        result = _evaluate(tmp_path / "nowhere" / "landing", instance)
    assert result.run_requests == [] and "no landing folder" in result.skip_reason.skip_message


def test_daily_schedule_tags_the_day_in_the_configured_timezone():
    tz = platform_settings()["schedules"]["timezone"]
    tick = dt.datetime(2026, 3, 5, 2, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    request = daily_schedule(dg.build_schedule_context(scheduled_execution_time=tick))
    assert request.tags["sop/as_of"] == "2026-03-05"
    assert daily_schedule.execution_timezone == tz
    assert daily_schedule.cron_schedule == platform_settings()["schedules"]["daily_cron"]


def test_monthly_schedule_runs_the_month_just_closed():
    tick = dt.datetime(2026, 1, 2, 6, 0)
    request = monthly_planning_schedule(dg.build_schedule_context(scheduled_execution_time=tick))
    assert request.partition_key == "2025-12-01"
    assert request.run_key == "planning:2025-12-01"
    assert last_closed_month(dt.date(2026, 3, 31)) == "2026-02-01"


def test_landing_sensor_requests_nothing_on_a_fully_loaded_home(tmp_path):
    """Opening the UI on a home whose files are all in the load ledger starts no run."""
    import duckdb
    from own_company import OwnCompany, write_own_company

    from ingestion.loader import load_all

    landing = tmp_path / "landing"
    write_own_company(landing, OwnCompany(last_day=dt.date(2019, 4, 20)))
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as conn:
        load_all(conn, landing, ["products", "customers", "order_lines"])
    with dg.instance_for_test() as instance:
        assert _evaluate(landing, instance).run_requests == []

        new_file = landing / "sales/order_lines/order_lines_2019-05.csv"
        new_file.write_text((landing / "sales/order_lines/order_lines_2019-04.csv").read_text())
        [request] = _evaluate(landing, instance).run_requests
        assert request.asset_selection == [dg.AssetKey(["raw", "order_lines"])]

        writer = subprocess.Popen(  # another process holds the write lock, as a run does
            [
                sys.executable,
                "-c",
                "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                "print('locked', flush=True); time.sleep(60)",
                str(tmp_path / "warehouse.duckdb"),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert writer.stdout.readline().strip() == "locked"
            busy = _evaluate(landing, instance)
        finally:
            writer.kill()
        assert busy.run_requests == [], busy.skip_reason
        assert "busy" in busy.skip_reason.skip_message
