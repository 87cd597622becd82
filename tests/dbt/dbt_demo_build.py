"""Build the dbt warehouse over a small generated demo company, once per test session.

The dbt project is copied to a temporary folder so that test runs never touch the
working ``dbt_project/target`` other engineers and Dagster use; ``SOP_HOME`` points at
a temporary home holding the landing files and the warehouse.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO_ROOT / "dbt_project"
VENV_BIN = Path(sys.executable).parent
DBT = VENV_BIN / "dbt"
MF = VENV_BIN / "mf"
WAREHOUSE_SELECTION_EXCLUDE = "source:ml+"
"""The planning marts read the forecasting outputs (schema ml); the warehouse build skips them."""


@dataclass(frozen=True)
class DemoWarehouse:
    """Where a built demo lives and how its build went."""

    home: Path
    landing_dir: Path
    project_dir: Path
    build_seconds: float
    build_output: str
    run_results: dict

    @property
    def warehouse_path(self) -> Path:
        return self.home / "warehouse.duckdb"

    def env(self) -> dict[str, str]:
        """Environment for dbt and mf: this home, this project's profiles, repo importable."""
        return {
            **os.environ,
            "SOP_HOME": str(self.home),
            "DBT_PROFILES_DIR": str(self.project_dir),
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])
            ),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }

    def connect(self) -> duckdb.DuckDBPyConnection:
        """A read-only connection to the built warehouse."""
        return duckdb.connect(str(self.warehouse_path), read_only=True)


def copy_project(target: Path) -> Path:
    """Copy the dbt project without its build artefacts."""
    shutil.copytree(
        DBT_PROJECT,
        target,
        ignore=shutil.ignore_patterns("target", "logs", "dbt_packages", ".user.yml"),
    )
    return target


def generate_and_load(home: Path, config_kwargs: dict) -> Path:
    """Write a small demo company's landing files under ``home`` and load the raw tables."""
    import demo_company
    from ingestion.loader import load_all

    landing = home / "landing"
    demo_company.generate(demo_company.DemoConfig(**config_kwargs), landing)
    conn = duckdb.connect(str(home / "warehouse.duckdb"))
    try:
        outcome = load_all(conn, landing)
    finally:
        conn.close()
    if outcome.errors:
        raise RuntimeError(f"demo load failed: {outcome.errors}")
    return landing


def build_demo(root: Path, config_kwargs: dict) -> DemoWarehouse:
    """Generate, load and ``dbt build`` the warehouse; raise with dbt's output when red."""
    home = root / "sop_home"
    home.mkdir(parents=True)
    landing = generate_and_load(home, config_kwargs)
    project = copy_project(root / "dbt_project")
    demo = DemoWarehouse(
        home=home,
        landing_dir=landing,
        project_dir=project,
        build_seconds=0.0,
        build_output="",
        run_results={},
    )
    started = time.perf_counter()
    proc = subprocess.run(
        [str(DBT), "build", "--exclude", WAREHOUSE_SELECTION_EXCLUDE],
        cwd=project,
        env=demo.env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    elapsed = time.perf_counter() - started
    results_path = project / "target" / "run_results.json"
    run_results = json.loads(results_path.read_text()) if results_path.exists() else {}
    return DemoWarehouse(
        home=home,
        landing_dir=landing,
        project_dir=project,
        build_seconds=elapsed,
        build_output=proc.stdout + proc.stderr,
        run_results={"returncode": proc.returncode, **run_results},
    )


def mf_query(
    demo: DemoWarehouse,
    metrics: list[str],
    group_by: list[str],
    out_csv: Path,
    where: str | None = None,
) -> subprocess.CompletedProcess:
    """Run MetricFlow's CLI against the demo warehouse, writing the result to ``out_csv``."""
    args = [
        str(MF),
        "query",
        "--metrics",
        ",".join(metrics),
        "--group-by",
        ",".join(group_by),
        "--csv",
        str(out_csv),
    ]
    if where:
        args += ["--where", where]
    return subprocess.run(
        args, cwd=demo.project_dir, env=demo.env(), capture_output=True, text=True, timeout=300
    )


DEMO_CONFIG = {
    "as_of": date(2026, 11, 23),
    "start_month": "2025-07",
    "n_skus": 12,
    "n_customers": 24,
}
"""A small demo: 12 SKUs, 24 customers, 17 months of history (a few thousand order lines)."""
