"""The Dagster instance under ``$SOP_HOME/dagster``, with the warehouse pool limited to one."""

import os
import socket
from pathlib import Path

import dagster as dg

DAGSTER_YAML = """\
# Written by the S&OP platform. One writer at a time on the DuckDB warehouse:
# every asset that writes it is in pool `warehouse`, limited to 1 across runs.
concurrency:
  pools:
    default_limit: 1
  runs:
    max_concurrent_runs: 4
# A run whose process died (killed, OOM) is marked failed by the daemon, retried once
# (run_retries), and its slot in the warehouse pool is freed; otherwise a dead run
# would hold the pool's one slot and block every later run.
run_monitoring:
  enabled: true
  poll_interval_seconds: 60
  free_slots_after_run_end_seconds: 300
run_retries:
  enabled: true
  max_retries: 1
  retry_on_asset_or_op_failure: false
telemetry:
  enabled: false
"""


def prepare_dagster_home(sop_home: Path) -> Path:
    """Create ``$SOP_HOME/dagster`` with its ``dagster.yaml``; return the folder."""
    home = sop_home / "dagster"
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists() or config.read_text() != DAGSTER_YAML:
        config.write_text(DAGSTER_YAML)
    return home


def persistent_instance(sop_home: Path) -> dg.DagsterInstance:
    """A Dagster instance whose run history the UI (``make ui``) shows afterwards."""
    return dg.DagsterInstance.from_config(str(prepare_dagster_home(sop_home)))


RUN_PID_TAG = "sop/pid"
RUN_HOST_TAG = "sop/host"
_UNFINISHED = [
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]


def process_tags() -> dict[str, str]:
    """Tags naming the process that executes a run in-process (host and pid)."""
    return {RUN_HOST_TAG: socket.gethostname(), RUN_PID_TAG: str(os.getpid())}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _recorded_process(run: dg.DagsterRun) -> int | None:
    """The pid of an unfinished run executed on this host, or None when it was not recorded."""
    if run.tags.get(RUN_HOST_TAG) != socket.gethostname():
        return None
    pid = run.tags.get(RUN_PID_TAG, "")
    return int(pid) if pid.isdigit() else None


def fail_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark unfinished runs whose process is gone as failed and free their pool slots.

    A run killed with SIGKILL (or by the OOM killer) stays ``STARTED`` and keeps
    the warehouse pool's only slot, so every later run would wait for ever. Only
    runs whose host and pid were recorded (:func:`process_tags`) are judged: a
    run on another host or launched by the daemon is the daemon's run monitoring's.
    Returns one line per run marked failed.
    """
    marked = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=_UNFINISHED)):
        pid = _recorded_process(run)
        if pid is None or _alive(pid):
            continue
        instance.report_run_failed(
            run, message=f"the process that ran it (pid {pid}) is gone; marked failed by sop"
        )
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        marked.append(
            f"{run.job_name} run {run.run_id[:8]} (pid {pid}, gone): marked failed, "
            "its warehouse slot freed"
        )
    return marked


def live_warehouse_runs(instance: dg.DagsterInstance) -> list[str]:
    """Unfinished runs whose recorded process is alive: they hold or want the warehouse."""
    lines = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=_UNFINISHED)):
        pid = _recorded_process(run)
        if pid is not None and pid != os.getpid() and _alive(pid):
            lines.append(f"{run.job_name} run {run.run_id[:8]} (pid {pid})")
    return lines
