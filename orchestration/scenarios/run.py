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

from orchestration.dbt_project import DBT_PROJECT_DIR, dbt_vars_args
from orchestration.scenarios import load_scenarios
from orchestration.settings import company_dbt_vars, provided_sources

SCENARIO_SELECTION = [
    "--select",
    "source:scenarios+",
    "--exclude",
    "path:models/marts/performance",
]


def build_scenario_plans(home: Path) -> subprocess.CompletedProcess:
    """``dbt build`` of the plan marts for every cycle and scenario, in this home's warehouse."""
    dbt = Path(sys.executable).parent / "dbt"
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
                *dbt_vars_args(provided_sources(home), company_dbt_vars(home)),
            ],
            cwd=DBT_PROJECT_DIR,
            env={**os.environ, "SOP_HOME": str(home)},
            capture_output=True,
            text=True,
        )


def run_scenarios(home: Path, cycle: date, requested: list[str] | None) -> pd.DataFrame:
    """Load (all files checked, nothing written on a bad one) and build; return the runs table.

    Raises ScenarioError on a bad file and RuntimeError with dbt's output on a failed build.
    """
    conn = duckdb.connect(str(Path(home) / "warehouse.duckdb"))
    try:
        known = conn.execute(
            "select count(*) from marts.fct_consensus_forecast where cycle_month = ?", [cycle]
        ).fetchone()[0]
        if not known:
            raise RuntimeError(
                f"cycle {cycle:%Y-%m} has no consensus forecast yet: run `sop plan --month "
                f"{cycle:%Y-%m}` first (scenarios reuse the cycle's forecast)"
            )
        runs = load_scenarios(conn, home, cycle=cycle, requested=requested)
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
