"""What the bench records: stage order, per-scale summaries, slopes, targets and the results schema."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from importlib import metadata
from typing import Any

import psutil

from bench.analysis import TargetCheck, check_target, loglog_slope, ratio
from bench.measure import REPO_ROOT

SCHEMA_VERSION = 1
STAGES = (
    "generation",
    "ingest",
    "raw_read",
    "warehouse",
    "daily_increment",
    "quality",
    "forecast",
    "forecast_native",
    "forecast_spark",
    "plans",
    "performance",
    "report",
    "scenario",
)
"""Every stage in run order; ``raw_read`` and ``forecast_native`` are the limits; ``scenario``
(one what-if run of the cycle, no refit) comes after the cycle it is compared with."""
PIPELINE_STAGES = ("ingest", "warehouse", "quality", "forecast", "plans", "performance", "report")
"""The full planning cycle the targets speak of: from landing files to the report."""
LIMIT_OF = {"ingest": "raw_read", "forecast": "forecast_native"}
PREREQUISITES = {
    "generation": (),
    "ingest": ("generation",),
    "raw_read": ("generation",),
    "warehouse": ("ingest",),
    "daily_increment": ("warehouse",),
    "quality": ("warehouse",),
    "forecast": ("warehouse",),
    "forecast_native": ("warehouse",),
    "forecast_spark": ("warehouse",),
    "plans": ("forecast",),
    "performance": ("plans",),
    "report": ("quality", "performance"),
    "scenario": ("plans",),
}
TARGETS = {
    "forecast_vs_native": 1.3,
    "ingest_share_of_raw": 0.5,
    "cycle_10k_seconds": 600.0,
    "cycle_10k_peak_gib": 4.0,
    "slope": 1.1,
    "make_run_seconds": 300.0,
    "scenario_share_10k": 0.2,
}
PACKAGES = (
    "duckdb",
    "dbt-core",
    "dbt-duckdb",
    "statsforecast",
    "sktime",
    "numba",
    "pandas",
    "numpy",
    "lightgbm",
    "scikit-learn",
    "plotly",
    "psutil",
    "dagster",
)


def expand_stages(selected: list[str] | None) -> list[str]:
    """The selected stages plus everything they need, in run order."""
    if not selected:
        return list(STAGES)
    unknown = sorted(set(selected) - set(STAGES))
    if unknown:
        raise ValueError(f"unknown stage(s) {unknown}; known: {', '.join(STAGES)}")
    wanted: set[str] = set()
    todo = list(selected)
    while todo:
        stage = todo.pop()
        if stage not in wanted:
            wanted.add(stage)
            todo.extend(PREREQUISITES[stage])
    return [s for s in STAGES if s in wanted]


def machine_info() -> dict[str, Any]:
    """Cores, memory, OS, Python, package versions and the commit benched."""
    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    try:
        commit = (
            subprocess.run(
                ["git", "rev-parse", "HEAD"],
                cwd=REPO_ROOT,
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
            or None
        )
    except OSError:
        commit = None
    return {
        "logical_cores": os.cpu_count(),
        "physical_cores": psutil.cpu_count(logical=False),
        "ram_gib": round(psutil.virtual_memory().total / 2**30, 2),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "packages": versions,
        "git_commit": commit,
        "load_avg_at_start": os.getloadavg(),
    }


def _ok(stages: dict[str, Any], name: str) -> dict[str, Any] | None:
    stage = stages.get(name)
    return stage if stage and stage.get("status") == "ok" else None


def summarise_scale(stages: dict[str, Any]) -> dict[str, Any]:
    """Series found, ratios to the limits and the full cycle's time and peak memory."""
    warehouse, forecast = _ok(stages, "warehouse"), _ok(stages, "forecast")
    series = (warehouse or {}).get("details", {}).get("series") or (forecast or {}).get(
        "details", {}
    ).get("panel_series")
    ingest, raw = _ok(stages, "ingest"), _ok(stages, "raw_read")
    native = _ok(stages, "forecast_native")
    share = ratio(
        raw["seconds"] if raw else None,
        ingest["details"].get("tabular_seconds") if ingest else None,
    )
    vs_native = ratio(
        forecast["details"].get("cycle_seconds") if forecast else None,
        native["seconds"] if native else None,
    )
    cycle = [s for s in (_ok(stages, name) for name in PIPELINE_STAGES) if s is not None]
    complete = len(cycle) == len(PIPELINE_STAGES)
    what_if = _ok(stages, "scenario")
    return {
        "scenario_seconds": what_if["seconds"] if what_if else None,
        "scenario_share_of_cycle": ratio(
            what_if and what_if["seconds"], sum(s["seconds"] for s in cycle) if complete else None
        ),
        "series": series,
        "ingest_share_of_raw": share,
        "forecast_vs_native": vs_native,
        "full_cycle_complete": complete,
        "full_cycle_seconds": sum(s["seconds"] for s in cycle) if complete else None,
        "full_cycle_peak_rss_mib": max(s["peak_rss_mib"] for s in cycle) if complete else None,
    }


def slopes(scales: list[dict[str, Any]]) -> dict[str, float | None]:
    """Log-log slope of seconds against series per stage and for the full cycle (None if < 2)."""
    out: dict[str, float | None] = {}
    for stage in (*STAGES, "full_cycle"):
        xs, ys = [], []
        for entry in scales:
            if stage == "full_cycle":
                y = entry["summary"]["full_cycle_seconds"]
            else:
                y = (_ok(entry["stages"], stage) or {}).get("seconds")
            xs.append(entry["summary"]["series"] or entry["scale"]["target_series"])
            ys.append(y)
        out[stage] = loglog_slope(xs, ys)
    return out


def evaluate_targets(
    scales: list[dict[str, Any]],
    slope_by_stage: dict[str, float | None],
    make_run: dict[str, Any] | None,
) -> list[TargetCheck]:
    """Every target of the benchmark issue, PASS / MISS with the gap, or NOT MEASURED."""
    checks = []
    largest = max(scales, key=lambda e: e["scale"]["target_series"]) if scales else None
    at = (
        f"at {largest['summary']['series'] or largest['scale']['target_series']} series"
        if largest
        else ""
    )
    summary = largest["summary"] if largest else {}
    checks.append(
        check_target(
            "forecast_vs_native",
            f"forecast cycle / statsforecast native ({at})",
            summary.get("forecast_vs_native"),
            TARGETS["forecast_vs_native"],
            "max",
            "x",
        )
    )
    checks.append(
        check_target(
            "ingest_share_of_raw",
            f"ingest speed / DuckDB raw read ({at})",
            summary.get("ingest_share_of_raw"),
            TARGETS["ingest_share_of_raw"],
            "min",
            "%",
        )
    )
    at_10k = next((e for e in scales if e["scale"]["target_series"] == 10000), None)
    note = "" if at_10k else "no 10k scale in this run (use --scales ...,10000)"
    s10 = at_10k["summary"] if at_10k else {}
    peak = s10.get("full_cycle_peak_rss_mib")
    checks.append(
        check_target(
            "cycle_10k_seconds",
            "full cycle at 10k series",
            s10.get("full_cycle_seconds"),
            TARGETS["cycle_10k_seconds"],
            "max",
            "s",
            note,
        )
    )
    checks.append(
        check_target(
            "cycle_10k_peak_gib",
            "peak memory of the full cycle at 10k series",
            None if peak is None else peak / 1024,
            TARGETS["cycle_10k_peak_gib"],
            "max",
            "GiB",
            note,
        )
    )
    checks.append(
        check_target(
            "scenario_share_10k",
            "one scenario run / the full cycle at 10k series",
            s10.get("scenario_share_of_cycle"),
            TARGETS["scenario_share_10k"],
            "max",
            "%",
            note,
        )
    )
    counts = sorted(e["summary"]["series"] or e["scale"]["target_series"] for e in scales)
    span = f"{counts[0]}-{counts[-1]} series" if counts else ""
    slope_note = "" if len(counts) >= 2 else "needs at least two scales"
    for stage in ("full_cycle", *PIPELINE_STAGES):
        checks.append(
            check_target(
                f"slope_{stage}",
                f"log-log slope of {stage} ({span})",
                slope_by_stage.get(stage),
                TARGETS["slope"],
                "max",
                "",
                slope_note,
            )
        )
    run_seconds = (
        make_run.get("wall_seconds") if make_run and make_run.get("status") == "ok" else None
    )
    checks.append(
        check_target(
            "make_run_seconds",
            "default `make run`",
            run_seconds,
            TARGETS["make_run_seconds"],
            "max",
            "s",
            "" if make_run else "run with --with-make-run",
        )
    )
    return checks


STAGE_KEYS = {
    "stage",
    "status",
    "seconds",
    "wall_seconds",
    "peak_rss_mib",
    "load_avg_1m",
    "details",
    "error",
}
TOP_KEYS = {
    "schema_version",
    "created_at",
    "mode",
    "command",
    "note",
    "machine",
    "scales",
    "slopes",
    "make_run",
    "targets",
}
TARGET_KEYS = {"name", "label", "value", "limit", "direction", "unit", "status", "gap", "message"}


def validate_results(results: dict[str, Any]) -> list[str]:
    """Problems with a results document (empty when it follows the schema)."""
    problems = [f"missing top-level key {k!r}" for k in sorted(TOP_KEYS - set(results))]
    if results.get("schema_version") != SCHEMA_VERSION:
        problems.append(f"schema_version must be {SCHEMA_VERSION}")
    for i, entry in enumerate(results.get("scales", [])):
        for key in ("scale", "stages", "summary"):
            if key not in entry:
                problems.append(f"scales[{i}] misses {key!r}")
        for name, stage in entry.get("stages", {}).items():
            if name not in STAGES:
                problems.append(f"scales[{i}] has unknown stage {name!r}")
            missing = STAGE_KEYS - set(stage)
            if missing:
                problems.append(f"scales[{i}].stages.{name} misses {sorted(missing)}")
            if stage.get("status") == "ok" and not (stage.get("seconds") or 0) > 0:
                problems.append(f"scales[{i}].stages.{name} is ok without positive seconds")
    for i, target in enumerate(results.get("targets", [])):
        missing = TARGET_KEYS - set(target)
        if missing:
            problems.append(f"targets[{i}] misses {sorted(missing)}")
    return problems
