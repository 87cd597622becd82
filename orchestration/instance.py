"""The Dagster instance under ``$SOP_HOME/dagster``, with the warehouse pool limited to one."""

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
