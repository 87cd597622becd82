"""A run killed while it holds the warehouse slot never wedges the next one (issue 15, item 1).

The child executes ``ingest_job`` in-process on the home's persistent instance
(as ``sop`` does) and is SIGKILLed while it holds the one slot of the
``warehouse`` pool. The dead run stays ``STARTED`` with the slot claimed;
:func:`fail_dead_runs` must mark it failed and free the slot, after which a
new run completes instead of waiting for ever.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import dagster as dg
import pytest

from demo_company import DemoConfig, generate
from orchestration.checks import AS_OF_TAG
from orchestration.instance import fail_dead_runs, persistent_instance, process_tags

pytestmark = pytest.mark.slow

AS_OF = dt.date(2026, 1, 12)
CONFIG = DemoConfig(as_of=AS_OF, start_month="2024-11", n_skus=8, n_customers=24)

CHILD = """
import sys
from pathlib import Path
from orchestration.definitions import defs
from orchestration.instance import persistent_instance, process_tags
instance = persistent_instance(Path(sys.argv[1]))
defs.resolve_job_def("ingest_job").execute_in_process(
    instance=instance, tags={**process_tags(), "sop/as_of": sys.argv[2]}, raise_on_error=False)
"""


def _raw_tables(home) -> dict[str, list[tuple]]:
    """Every raw table's rows (lineage times left out), and the ledger's file statuses."""
    import duckdb

    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        tables = [
            t
            for (t,) in conn.execute(
                "select table_name from information_schema.tables where table_schema = 'raw'"
            ).fetchall()
        ]
        rows = {
            t: conn.execute(f'select * exclude (_loaded_at) from raw."{t}" order by all').fetchall()
            for t in tables
        }
        rows["ledger"] = conn.execute(
            "select source, file_name, file_hash, rows_read, rows_loaded, rows_quarantined, status "
            "from audit.load_ledger where status <> 'superseded' order by all"
        ).fetchall()
    return rows


def _slot_holders(instance: dg.DagsterInstance) -> set[str]:
    return instance.event_log_storage.get_concurrency_info("warehouse").active_run_ids


def _stop_while_holding_the_slot(child: subprocess.Popen, instance: dg.DagsterInstance) -> None:
    """SIGSTOP the child at a moment it holds the warehouse slot.

    The slot is held per step: seen held, the step may end before a kill lands. Stopped,
    the child cannot release it; if it did in between, it goes on and is caught again.
    """
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        assert child.poll() is None, "the child ended before it was caught holding the slot"
        if _slot_holders(instance):
            os.killpg(child.pid, signal.SIGSTOP)
            if _slot_holders(instance):
                return
            os.killpg(child.pid, signal.SIGCONT)
        time.sleep(0.05)
    raise AssertionError("the child never claimed the warehouse slot")


def test_killed_run_is_failed_and_frees_the_warehouse(tmp_path, monkeypatch):
    home = tmp_path / "home"
    generate(CONFIG, home / "landing")
    monkeypatch.setenv("SOP_HOME", str(home))
    instance = persistent_instance(home)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(home), AS_OF.isoformat()],
        env={**os.environ, "DAGSTER_HOME": str(home / "dagster")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    _stop_while_holding_the_slot(child, instance)
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    [dead] = instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
    assert _slot_holders(instance) == {dead.run_id}

    [line] = fail_dead_runs(instance)
    assert f"pid {child.pid}" in line
    assert instance.get_run_by_id(dead.run_id).status == dg.DagsterRunStatus.FAILURE
    assert _slot_holders(instance) == set()
    assert fail_dead_runs(instance) == []

    from orchestration.definitions import defs

    result = defs.resolve_job_def("ingest_job").execute_in_process(
        instance=instance,
        tags={**process_tags(), AS_OF_TAG: AS_OF.isoformat()},
        raise_on_error=False,
    )
    clean = tmp_path / "clean"
    generate(CONFIG, clean / "landing")
    monkeypatch.setenv("SOP_HOME", str(clean))
    assert (
        defs.resolve_job_def("ingest_job")
        .execute_in_process(
            instance=dg.DagsterInstance.ephemeral(),
            tags={AS_OF_TAG: AS_OF.isoformat()},
            raise_on_error=False,
        )
        .success
    )
    assert _raw_tables(home) == _raw_tables(clean), "the rerun equals a run never killed"
    failed = [
        (e.asset_check_evaluation_data.check_name, e.asset_check_evaluation_data.description)
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
        and not e.asset_check_evaluation_data.passed
    ]
    assert result.success, failed
