"""Run scenarios for a cycle: load the checked files, then rebuild the plan marts with dbt.

The cycle's forecast is reused (no refit): only the models downstream of the
scenario tables are built (``source:scenarios+``), the performance marts aside
(they read the plan of record, int_plan_scenario_selected, which scenarios do not
change). Every scenario of every cycle is rebuilt with them, so a re-run replaces
a scenario's rows and a deleted file's rows go.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.calendar_vars import calendar_vars
from orchestration.cycles import warehouse_order_history
from orchestration.dbt_project import DBT_PROJECT_DIR, dbt_vars_args
from orchestration.scenarios import load_scenarios
from orchestration.settings import company_dbt_vars, platform_settings, provided_sources

SCENARIO_DBT_SELECT = "source:scenarios+"
SCENARIO_DBT_EXCLUDE = "path:models/marts/performance"
SCENARIO_SELECTION = ["--select", SCENARIO_DBT_SELECT, "--exclude", SCENARIO_DBT_EXCLUDE]
"""What a scenario run rebuilds (``sop scenario run`` and Dagster's ``scenario_job``)."""


def scenario_dbt_vars(home: Path) -> list[str]:
    """The ``--vars`` of the planning build: sources provided, the calendar, the company's.

    The same vars as the Dagster builds pass (``orchestration.assets.warehouse``), so a
    company whose history starts before the ``dbt_project.yml`` calendar keeps its dates.
    """
    home = Path(home)
    horizon = int(platform_settings(home)["forecast"]["horizon_months"])
    calendar = calendar_vars(warehouse_order_history(home / "warehouse.duckdb"), horizon)
    return dbt_vars_args(provided_sources(home), calendar, company_dbt_vars(home))


def build_scenario_plans(home: Path) -> subprocess.CompletedProcess:
    """``dbt build`` of the plan marts for every cycle and scenario, in this home's warehouse."""
    dbt = Path(sys.executable).parent / "dbt"
    dbt_vars = scenario_dbt_vars(home)
    with tempfile.TemporaryDirectory(prefix="sop-scenario-dbt-") as scratch:
        return subprocess.run(
            [
                str(dbt),
                "build",
                *SCENARIO_SELECTION,
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                "--target-path",
                str(Path(scratch) / "target"),
                "--log-path",
                str(Path(scratch) / "logs"),
                *dbt_vars,
            ],
            cwd=DBT_PROJECT_DIR,
            env={**os.environ, "SOP_HOME": str(home)},
            capture_output=True,
            text=True,
        )


def load_cycle_scenarios(
    conn: duckdb.DuckDBPyConnection, home: Path, cycle: date, requested: list[str] | None
) -> pd.DataFrame:
    """Check the files and load the runs of ``cycle`` (the step before the build).

    Raises RuntimeError when the cycle has no consensus forecast (scenarios reuse it) and
    ScenarioError on a bad file, before anything is written.
    """
    known = conn.execute(
        "select count(*) from marts.fct_consensus_forecast where cycle_month = ?", [cycle]
    ).fetchone()[0]
    if not known:
        raise RuntimeError(
            f"cycle {cycle:%Y-%m} has no consensus forecast yet: run `sop plan --month "
            f"{cycle:%Y-%m}` first (scenarios reuse the cycle's forecast)"
        )
    return load_scenarios(conn, home, cycle=cycle, requested=requested)


def run_scenarios(home: Path, cycle: date, requested: list[str] | None) -> pd.DataFrame:
    """Load (all files checked, nothing written on a bad one) and build; return the runs table.

    Raises ScenarioError on a bad file and RuntimeError with dbt's output on a failed build.
    """
    conn = duckdb.connect(str(Path(home) / "warehouse.duckdb"))
    try:
        runs = load_cycle_scenarios(conn, home, cycle, requested)
    finally:
        conn.close()
    proc = build_scenario_plans(home)
    if proc.returncode != 0:
        raise RuntimeError(
            f"the scenario plan build failed:\n{(proc.stdout + proc.stderr)[-4000:]}"
        )
    return runs


def list_scenarios(home: Path) -> pd.DataFrame:
    """The runs on record (cycle, scenario, file, description, loaded_at); empty when none."""
    path = Path(home) / "warehouse.duckdb"
    if not path.exists():
        return pd.DataFrame(columns=["cycle_month", "scenario", "file", "description", "loaded_at"])
    with duckdb.connect(str(path), read_only=True) as conn:
        try:
            return conn.execute("select * from scenarios.scenario_runs order by all").df()
        except duckdb.CatalogException:
            return pd.DataFrame(
                columns=["cycle_month", "scenario", "file", "description", "loaded_at"]
            )
