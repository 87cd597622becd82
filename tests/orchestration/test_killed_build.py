"""A daily run killed in the middle of its dbt build, then rerun (issue 7, acceptance 3).

Two SOP_HOMEs get the same demo extracts. In one, the real ``daily_job``
runs in a child process and is killed with SIGKILL (no clean-up of any kind)
once dbt has materialized some of the warehouse but not all of it. The kill
must leave nothing half-built: no ``__dbt_tmp`` / ``__dbt_backup`` relation,
and every relation that exists is readable. Then ``daily_job`` reruns in that
home, and its marts must equal, table by table and row by row, the marts of
an uninterrupted run in the other home.

Why it holds: dbt-duckdb builds a table as ``<name>__dbt_tmp``, swaps it in
by renames and commits, all in one DuckDB transaction, and DuckDB's
write-ahead log replays only committed transactions when the file reopens.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from demo_company import DemoConfig, generate
from orchestration.checks import AS_OF_TAG

pytestmark = pytest.mark.slow

AS_OF = dt.date(2026, 1, 12)
CONFIG = DemoConfig(as_of=AS_OF, start_month="2024-11", n_skus=8, n_customers=24)
KILL_AFTER_MODELS = 25
"""dbt models materialized before the kill: past staging, well before the last mart."""
DBT_STEP = "warehouse_dbt_models"
LEFTOVER_PATTERN = "%__dbt_%"

CHILD = """
import sys
import dagster as dg
from orchestration.definitions import defs
result = defs.resolve_job_def("daily_job").execute_in_process(
    instance=dg.DagsterInstance.ephemeral(), tags={sys.argv[1]: sys.argv[2]}, raise_on_error=False,
    run_config={"loggers": {"console": {"config": {"log_level": "DEBUG"}}}})
sys.exit(0 if result.success else 1)
"""


def _daily_run(home: Path, monkeypatch) -> dg.ExecuteInProcessResult:
    from orchestration.definitions import defs

    monkeypatch.setenv("SOP_HOME", str(home))
    return defs.resolve_job_def("daily_job").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(),
        tags={AS_OF_TAG: AS_OF.isoformat()},
        raise_on_error=False,
    )


def _kill_daily_run_mid_build(home: Path) -> list[str]:
    """Start daily_job in a child process; SIGKILL its whole process group mid-dbt-build.

    Returns the dbt models the child reported materialized before the kill.
    """
    env = {**os.environ, "SOP_HOME": str(home)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, AS_OF_TAG, AS_OF.isoformat()],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    built: list[str] = []
    deadline = time.monotonic() + 600
    try:
        for line in child.stderr:
            if DBT_STEP in line and "ASSET_MATERIALIZATION" in line:
                built.append(line.rsplit("Materialized value", 1)[-1].strip())
                if len(built) >= KILL_AFTER_MODELS:
                    break
            if time.monotonic() > deadline:
                break
    finally:
        os.killpg(child.pid, signal.SIGKILL)  # the run and its dbt subprocess, no clean-up
        child.wait(timeout=60)
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    assert len(built) >= KILL_AFTER_MODELS, (
        f"dbt reported only {len(built)} models before the deadline"
    )
    return built


def _relations(conn, schema: str) -> dict[str, str]:
    rows = conn.execute(
        "select table_name, table_type from information_schema.tables "
        "where table_schema = ? order by 1",
        [schema],
    ).fetchall()
    return dict(rows)


def _leftovers(conn) -> list[tuple[str, str]]:
    return conn.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_name like ? order by 1, 2",
        [LEFTOVER_PATTERN],
    ).fetchall()


def _sorted_frame(conn, table: str) -> pd.DataFrame:
    frame = conn.execute(f'select * from marts."{table}"').df()
    floats = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])]
    order = [c for c in frame.columns if c not in floats] + floats
    return frame.sort_values(order, kind="stable", na_position="last").reset_index(drop=True)


@pytest.fixture(scope="module")
def homes(tmp_path_factory) -> tuple[Path, Path]:
    landing = tmp_path_factory.mktemp("landing_once")
    generate(CONFIG, landing)
    clean, killed = tmp_path_factory.mktemp("home_clean"), tmp_path_factory.mktemp("home_killed")
    for home in (clean, killed):
        (home / "landing").symlink_to(landing, target_is_directory=True)
    return clean, killed


def test_killed_dbt_build_leaves_nothing_half_built_and_rerun_equals_clean_run(homes, monkeypatch):
    clean, killed = homes
    assert _daily_run(clean, monkeypatch).success

    built_before_kill = _kill_daily_run_mid_build(killed)
    with duckdb.connect(str(clean / "warehouse.duckdb"), read_only=True) as conn:
        clean_marts = _relations(conn, "marts")
        clean_frames = {t: _sorted_frame(conn, t) for t in clean_marts}
    with duckdb.connect(
        str(killed / "warehouse.duckdb")
    ) as conn:  # replays the WAL as a rerun would
        assert _leftovers(conn) == []
        partial = _relations(conn, "marts")
        assert set(partial) < set(clean_marts), "the kill should land before the last mart"
        for table in partial:  # whatever the killed run left is complete and readable
            conn.execute(f'select count(*) from marts."{table}"').fetchone()
    print(
        f"killed after {len(built_before_kill)} dbt models; {len(partial)} of "
        f"{len(clean_marts)} marts relations existed after the kill"
    )

    rerun = _daily_run(killed, monkeypatch)
    assert rerun.success
    with duckdb.connect(str(killed / "warehouse.duckdb"), read_only=True) as conn:
        assert _leftovers(conn) == []
        assert _relations(conn, "marts") == clean_marts
        for table, expected in clean_frames.items():
            got = _sorted_frame(conn, table)
            pd.testing.assert_frame_equal(
                got, expected, check_exact=False, rtol=1e-9, obj=f"marts.{table}"
            )
