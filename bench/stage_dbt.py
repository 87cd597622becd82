"""dbt stages of the bench: the warehouse build, the plan and performance marts, a scenario run.

dbt runs as its own process against the scale's ``SOP_HOME``, with the
repository's project and profiles but a target and log path of the bench's
own, so the bench never touches ``dbt_project/target`` that others use.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import duckdb

from bench.measure import REPO_ROOT, child_env
from orchestration.warehouse_io import one_row

DBT_PROJECT = REPO_ROOT / "dbt_project"
WAREHOUSE_SELECTION = ["--exclude", "source:ml+"]
"""The daily warehouse build (as ``orchestration`` runs it): everything not fed by forecasts."""
PLANS_SELECTION = [
    "--select",
    "source:ml+",
    "--exclude",
    "path:models/marts/performance",
    "path:models/intermediate/performance",
    "path:models/reports",
]
"""Forecast, consensus, supply, finance and S&OP exception marts of the cycle."""
PERFORMANCE_SELECTION = [
    "--select",
    "source:ml+,path:models/marts/performance",
    "source:ml+,path:models/intermediate/performance",
    "source:ml+,path:models/reports",
]
"""Accuracy, plan vs actual, budget variance, KPIs and alerts, and the report views over them
(the rest of ``source:ml+``; the views need the performance marts, so they are built here)."""


class DbtBuildError(RuntimeError):
    """``dbt build`` returned non-zero; the message names the failing nodes."""


def dbt_command(ctx: dict, selection: list[str], command: str = "build") -> list[str]:
    """The dbt command line for a selection, with the bench's own target and log paths."""
    dbt = Path(sys.executable).parent / "dbt"
    return [
        str(dbt),
        command,
        *selection,
        "--project-dir",
        str(DBT_PROJECT),
        "--profiles-dir",
        str(DBT_PROJECT),
        "--target-path",
        ctx["dbt_target_path"],
        "--log-path",
        ctx["dbt_log_path"],
    ]


def summarise_run_results(run_results: dict) -> dict:
    """Node counts by resource type and status, and the slowest nodes, from run_results.json."""
    results = run_results.get("results", [])
    statuses = Counter(r.get("status") for r in results)
    kinds = Counter(r.get("unique_id", "").split(".")[0] for r in results)
    slowest = sorted(results, key=lambda r: r.get("execution_time") or 0, reverse=True)[:5]
    failed = [r.get("unique_id") for r in results if r.get("status") in ("error", "fail")]
    return {
        "nodes": len(results),
        "by_status": dict(statuses),
        "by_type": dict(kinds),
        "dbt_elapsed_seconds": run_results.get("elapsed_time"),
        "slowest": {r.get("unique_id"): r.get("execution_time") for r in slowest},
        "failed": failed,
    }


def dbt_build(ctx: dict, selection: list[str]) -> tuple[float, dict]:
    """Run one ``dbt build``; raise :class:`DbtBuildError` when dbt returns non-zero."""
    Path(ctx["dbt_target_path"]).mkdir(parents=True, exist_ok=True)
    env = child_env({"SOP_HOME": ctx["home"]})
    started = time.perf_counter()
    proc = subprocess.run(
        dbt_command(ctx, selection), cwd=ctx["workdir"], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    results_path = Path(ctx["dbt_target_path"]) / "run_results.json"
    details = (
        summarise_run_results(json.loads(results_path.read_text())) if results_path.exists() else {}
    )
    details["returncode"] = proc.returncode
    if proc.returncode != 0:
        failed = ", ".join(details.get("failed", [])[:10]) or "see output"
        raise DbtBuildError(
            f"dbt build {' '.join(selection)} returned {proc.returncode}; "
            f"failed: {failed}\n{(proc.stdout + proc.stderr)[-1500:]}"
        )
    return seconds, details


def dbt_parse(ctx: dict) -> float:
    """Parse the project into the bench's target path; return the seconds it took.

    The pipeline parses once (``orchestration.dbt_manifest.prepare_manifest``) and
    every later dbt call re-uses the partial parse; the bench does the same, so
    the one-off parse is reported apart from the build it precedes.
    """
    Path(ctx["dbt_target_path"]).mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    proc = subprocess.run(
        dbt_command(ctx, [], "parse"),
        cwd=ctx["workdir"],
        env=child_env({"SOP_HOME": ctx["home"]}),
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise DbtBuildError(
            f"dbt parse returned {proc.returncode}\n{(proc.stdout + proc.stderr)[-1500:]}"
        )
    return time.perf_counter() - started


def warehouse(ctx: dict) -> tuple[float, dict]:
    """Parse, then build staging, intermediate and source-fed marts; count the series.

    The stage's seconds are the build's; the one-off parse is in ``parse_seconds``.
    """
    parse_seconds = dbt_parse(ctx)
    seconds, details = dbt_build(ctx, WAREHOUSE_SELECTION)
    details["parse_seconds"] = parse_seconds
    with duckdb.connect(os.path.join(ctx["home"], "warehouse.duckdb"), read_only=True) as conn:
        details["series"] = one_row(
            conn,
            "select count(*) from (select distinct sku, region, channel "
            "from marts.fct_demand_monthly where month <= ?)",
            [ctx["cycle_month"]],
        )[0]
    return seconds, details


def plans(ctx: dict) -> tuple[float, dict]:
    """Build the planning marts of the cycle (everything fed by ``ml`` except performance)."""
    return dbt_build(ctx, PLANS_SELECTION)


def performance(ctx: dict) -> tuple[float, dict]:
    """Build the performance marts (accuracy, plan vs actual, variance, KPIs, alerts)."""
    return dbt_build(ctx, PERFORMANCE_SELECTION)


SCENARIO_NAME = "bench_what_if"


def _scenario_file(conn: duckdb.DuckDBPyConnection) -> str:
    """A what-if of the issue's kind on this warehouse: one region's demand +15%, and one
    production line's capacity -20% when the company sends capacity."""
    region = one_row(conn, "select min(region) from marts.dim_region")[0]
    lines = [f"  - {{type: demand, region: {json.dumps(region)}, multiplier: 1.15}}"]
    try:
        line = one_row(conn, "select min(production_line) from marts.fct_capacity")[0]
    except duckdb.CatalogException:
        line = None
    if line is not None:
        lines.append(
            f"  - {{type: capacity, production_line: {json.dumps(line)}, multiplier: 0.8}}"
        )
    return "description: bench what-if\nadjustments:\n" + "\n".join(lines) + "\n"


def scenario(ctx: dict) -> tuple[float, dict]:
    """One scenario run for the cycle, as ``sop scenario run`` does it (no forecast refit).

    Timed: checking and loading the file, then ``dbt build`` of the plan marts downstream of
    the scenario tables (``orchestration.scenarios.run``), its own dbt parse included.
    """
    from orchestration.scenarios.run import run_scenarios

    home = Path(ctx["home"])
    cycle = date.fromisoformat(ctx["cycle_month"])
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        text = _scenario_file(conn)
    (home / "scenarios").mkdir(exist_ok=True)
    (home / "scenarios" / f"{SCENARIO_NAME}.yml").write_text(text, encoding="utf-8")
    previous = os.environ.get("SOP_HOME")
    os.environ["SOP_HOME"] = str(home)
    started = time.perf_counter()
    try:
        run_scenarios(home, cycle, [SCENARIO_NAME])
    finally:
        if previous is None:
            os.environ.pop("SOP_HOME", None)
        else:
            os.environ["SOP_HOME"] = previous
    seconds = time.perf_counter() - started
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        rows = one_row(
            conn,
            "select count(*) from marts.mart_supply_plan where cycle_month = ? and scenario = ?",
            [cycle, SCENARIO_NAME],
        )[0]
    return seconds, {"adjustments": text.count("type:"), "supply_plan_rows": rows}
