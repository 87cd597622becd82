"""The benchmark's own machinery: slopes, target verdicts, results schema, memory measurement,
and the stage children on a tiny demo company.

No timing is asserted anywhere: performance is measured by ``make bench``, not by tests.
"""

from __future__ import annotations

import json
import math
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from bench.analysis import MISS, NOT_MEASURED, PASS, check_target, loglog_slope, ratio
from bench.chart import write_chart
from bench.measure import child_env, run_measured, run_stage
from bench.results import (
    PIPELINE_STAGES,
    SCHEMA_VERSION,
    STAGES,
    evaluate_targets,
    expand_stages,
    slopes,
    summarise_scale,
    validate_results,
)
from bench.scales import Scale, parse_scales, scale_for
from bench.stage_data import limit_files, raw_read_sql

# --- slopes and ratios ---------------------------------------------------------------------


def test_slope_of_power_laws_is_their_exponent():
    xs = [1000, 5000, 10000, 20000]
    assert loglog_slope(xs, [0.003 * x for x in xs]) == pytest.approx(1.0)
    assert loglog_slope(xs, [1e-6 * x**2 for x in xs]) == pytest.approx(2.0)
    assert loglog_slope(xs, [42.0] * 4) == pytest.approx(0.0, abs=1e-12)
    assert loglog_slope([1000, 4000], [10.0, 20.0]) == pytest.approx(0.5)


def test_slope_needs_two_distinct_measured_points():
    assert loglog_slope([1000], [3.0]) is None
    assert loglog_slope([1000, 1000], [3.0, 4.0]) is None
    assert loglog_slope([1000, 5000, 10000], [3.0, None, 0.0]) is None
    assert loglog_slope([1000, 5000, 10000], [2.0, None, 20.0]) == pytest.approx(1.0)


def test_ratio_guards_missing_and_zero():
    assert ratio(3.0, 2.0) == 1.5
    assert ratio(None, 2.0) is None
    assert ratio(3.0, 0.0) is None


# --- target verdicts -----------------------------------------------------------------------


def test_a_missed_maximum_says_by_how_much():
    check = check_target("forecast_vs_native", "forecast / native", 1.45, 1.3, "max", "x")
    assert check.status == MISS
    assert check.gap == pytest.approx(0.15)
    assert check.message == "forecast / native 1.45x, target <= 1.30x: MISS by 0.15x"


def test_a_met_maximum_passes_and_a_missed_minimum_gives_points():
    assert check_target("t", "cycle", 540.0, 600.0, "max", "s").status == PASS
    share = check_target("ingest", "ingest / raw", 0.42, 0.5, "min", "%")
    assert share.status == MISS
    assert share.message == "ingest / raw 42%, target >= 50%: MISS by 8 pts"
    assert check_target("ingest", "ingest / raw", 0.5, 0.5, "min", "%").status == PASS


def test_an_unmeasured_target_says_why():
    check = check_target("make_run", "make run", None, 300, "max", "s", "run with --with-make-run")
    assert check.status == NOT_MEASURED
    assert "--with-make-run" in check.message
    with pytest.raises(ValueError):
        check_target("x", "x", 1.0, 1.0, "between")


# --- scales and stage selection ------------------------------------------------------------


def test_scale_grows_skus_and_customers_with_the_series():
    small, large = scale_for(1000), scale_for(20000)
    assert small.n_skus == math.ceil(1000 / 12 * 1.02)
    assert large.n_skus * 12 >= 20000
    assert large.n_customers >= 3 * large.n_skus
    assert scale_for(300, quick=True).start_month > scale_for(300).start_month
    assert Scale.from_dict(large.as_dict()) == large
    assert parse_scales("20k, 1000,5k,1000") == [1000, 5000, 20000]
    with pytest.raises(ValueError):
        scale_for(5)


def test_selected_stages_bring_their_prerequisites_in_run_order():
    assert expand_stages(None) == list(STAGES)
    assert expand_stages(["raw_read"]) == ["generation", "raw_read"]
    assert expand_stages(["forecast_native"]) == [
        "generation",
        "ingest",
        "warehouse",
        "forecast_native",
    ]
    assert expand_stages(["report"]) == [
        s
        for s in STAGES
        if s not in ("raw_read", "daily_increment", "forecast_native", "forecast_spark", "scenario")
    ]
    with pytest.raises(ValueError, match="unknown stage"):
        expand_stages(["nope"])


# --- results: summaries, targets, schema, chart --------------------------------------------


def _stage(name: str, seconds: float, peak: float = 100.0, **details) -> dict:
    return {
        "stage": name,
        "status": "ok",
        "seconds": seconds,
        "wall_seconds": seconds + 2,
        "peak_rss_mib": peak,
        "load_avg_1m": 1.0,
        "details": details,
        "error": None,
    }


def _entry(target: int, series: int, k: float) -> dict:
    """A scale whose stage times are ``k`` times a fixed profile (k=1 at 1k series)."""
    stages = {
        "generation": _stage("generation", 5 * k),
        "ingest": _stage("ingest", 10 * k, tabular_seconds=8 * k),
        "raw_read": _stage("raw_read", 6 * k),
        "warehouse": _stage("warehouse", 30 * k, series=series),
        "quality": _stage("quality", 5 * k),
        "forecast": _stage("forecast", 60 * k, peak=900.0, cycle_seconds=50 * k),
        "forecast_native": _stage("forecast_native", 40 * k),
        "plans": _stage("plans", 20 * k),
        "performance": _stage("performance", 10 * k),
        "report": _stage("report", 2 * k),
        "scenario": _stage("scenario", 12 * k),
    }
    scale = scale_for(target).as_dict()
    return {"scale": scale, "stages": stages, "summary": summarise_scale(stages)}


def _results(entries: list[dict], make_run: dict | None = None) -> dict:
    slope_by_stage = slopes(entries)
    return {
        "schema_version": SCHEMA_VERSION,
        "created_at": "2026-11-06T00:00:00+00:00",
        "mode": "full",
        "command": [],
        "note": "",
        "scales": entries,
        "machine": {"logical_cores": 2, "ram_gib": 24, "load_avg_at_start": [1.0, 1.0, 1.0]},
        "slopes": slope_by_stage,
        "make_run": make_run,
        "targets": [t.as_dict() for t in evaluate_targets(entries, slope_by_stage, make_run)],
    }


def test_scale_summary_has_the_ratios_and_the_full_cycle():
    summary = _entry(1000, 996, 1.0)["summary"]
    assert summary["series"] == 996
    assert summary["ingest_share_of_raw"] == pytest.approx(6 / 8)
    assert summary["forecast_vs_native"] == pytest.approx(50 / 40)
    assert summary["full_cycle_seconds"] == pytest.approx(10 + 30 + 5 + 60 + 20 + 10 + 2)
    assert summary["full_cycle_peak_rss_mib"] == 900.0
    assert summary["scenario_share_of_cycle"] == pytest.approx(12 / 137)  # not in the cycle
    failed = _entry(1000, 996, 1.0)["stages"]
    failed["plans"]["status"] = "failed"
    assert summarise_scale(failed)["full_cycle_seconds"] is None


def test_targets_over_linear_scales():
    entries = [_entry(1000, 1000, 1.0), _entry(10000, 10000, 10.0), _entry(20000, 20000, 20.0)]
    results = _results(entries, make_run={"status": "ok", "wall_seconds": 350.0})
    by_name = {t["name"]: t for t in results["targets"]}
    assert results["slopes"]["full_cycle"] == pytest.approx(1.0)
    assert by_name["slope_full_cycle"]["status"] == PASS
    assert by_name["forecast_vs_native"]["status"] == PASS  # 1.25x
    assert by_name["ingest_share_of_raw"]["status"] == PASS  # 75%
    assert by_name["cycle_10k_seconds"]["status"] == MISS  # 1370 s
    assert by_name["cycle_10k_seconds"]["gap"] == pytest.approx(1370 - 600)
    assert by_name["cycle_10k_peak_gib"]["status"] == PASS
    assert by_name["scenario_share_10k"]["status"] == PASS  # 9%
    assert by_name["make_run_seconds"]["message"].endswith("MISS by 50 s")
    assert validate_results(results) == []


def test_targets_with_one_scale_say_what_is_not_measured():
    results = _results([_entry(300, 296, 0.3)])
    by_name = {t["name"]: t for t in results["targets"]}
    for name in ("cycle_10k_seconds", "slope_full_cycle", "make_run_seconds"):
        assert by_name[name]["status"] == NOT_MEASURED
    assert {f"slope_{s}" for s in PIPELINE_STAGES} <= set(by_name)


def test_schema_check_names_what_is_wrong():
    results = _results([_entry(1000, 1000, 1.0)])
    del results["slopes"]
    del results["scales"][0]["stages"]["ingest"]["peak_rss_mib"]
    results["scales"][0]["stages"]["report"]["seconds"] = 0
    problems = validate_results(results)
    assert "missing top-level key 'slopes'" in problems
    assert any("stages.ingest misses ['peak_rss_mib']" in p for p in problems)
    assert any("stages.report is ok without positive seconds" in p for p in problems)


def test_chart_is_self_contained(tmp_path: Path):
    results = _results([_entry(1000, 1000, 1.0), _entry(5000, 5000, 5.0)])
    html = write_chart(results, tmp_path / "chart.html").read_text(encoding="utf-8")
    assert '<script src="http' not in html
    assert "Plotly.newPlot" in html and len(html) > 1_000_000  # plotly.js embedded
    assert "limit: statsforecast native" in html and "full cycle" in html


# --- measurement and stage children --------------------------------------------------------


def test_peak_memory_of_a_child_is_measured(tmp_path: Path):
    code = (
        "import time; b = bytearray(200 * 1024 * 1024)\n"
        "for i in range(0, len(b), 4096): b[i] = 1\n"
        "time.sleep(1.0)"
    )
    run = run_measured(
        [sys.executable, "-c", code], env=child_env(), timeout=120, log_path=tmp_path / "child.log"
    )
    assert run["returncode"] == 0
    assert run["peak_tree_rss_mib"] >= 150


def test_raw_read_limit_reads_what_the_loader_loads(tmp_path: Path):
    from ingestion.contracts import CONTRACTS

    landing = tmp_path / "landing"
    for name, rows in (("a.csv", "x,y\n1,p\n2,q\n"), ("b.csv", "x,y\n3,r\n")):
        path = landing / "orders" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rows)
    by_file = CONTRACTS["order_lines"].__class__(
        **{**CONTRACTS["order_lines"].__dict__, "file_glob": "orders/*.csv"}
    )
    snapshot = by_file.__class__(**{**by_file.__dict__, "load_mode": "snapshot"})
    assert [p.name for p in limit_files(by_file, landing)] == ["a.csv", "b.csv"]
    assert [p.name for p in limit_files(snapshot, landing)] == ["b.csv"]
    with duckdb.connect() as conn:
        conn.execute(raw_read_sql("t", "csv", limit_files(by_file, landing)))
        assert conn.execute("select count(*), sum(x) from t").fetchone() == (3, 6)
    with pytest.raises(ValueError):
        raw_read_sql("t", "xlsx", [])


@pytest.fixture(scope="module")
def tiny_scale(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Context of a tiny demo company (8 SKUs, 3 months of history) for the stage children."""
    workdir = tmp_path_factory.mktemp("bench_tiny")
    scale = Scale(
        target_series=96,
        n_skus=8,
        n_customers=24,
        start_month="2026-08",
        as_of=date(2026, 11, 6),
        cycle_month=date(2026, 10, 1),
    )
    ctx = {
        "scale": scale.as_dict(),
        "home": str(workdir / "home"),
        "workdir": str(workdir),
        "cycle_month": "2026-10-01",
        "dbt_target_path": str(workdir / "dbt_target"),
        "dbt_log_path": str(workdir / "dbt_logs"),
    }
    (workdir / "home").mkdir()
    (workdir / "context.json").write_text(json.dumps(ctx))
    return workdir, workdir / "context.json"


def test_stage_children_generate_ingest_and_read_the_same_rows(tiny_scale):
    workdir, context = tiny_scale
    measured = {
        s: run_stage(s, context, workdir, timeout=600) for s in ("generation", "ingest", "raw_read")
    }
    for stage, m in measured.items():
        assert m["status"] == "ok", (stage, m["error"])
        assert m["seconds"] > 0 and m["peak_rss_mib"] > 50
    generated = measured["generation"]["details"]["rows"]
    ingest, raw = measured["ingest"]["details"], measured["raw_read"]["details"]
    assert ingest["total_rows_loaded"] == sum(generated.values())
    assert raw["rows"] == {n: ingest["rows_loaded"][n] for n in ingest["tabular_sources"]}
    assert summarise_scale(measured)["ingest_share_of_raw"] > 0


def test_a_failing_stage_is_reported_not_raised(tiny_scale):
    workdir, context = tiny_scale
    broken = json.loads(context.read_text())
    broken["scale"]["n_skus"] = 1  # fewer SKUs than product lines: DemoConfig refuses
    path = workdir / "broken.json"
    path.write_text(json.dumps(broken))
    m = run_stage("generation", path, workdir, timeout=600)
    assert m["status"] == "failed"
    assert "ValueError" in m["error"] and "SKU per product line" in m["error"]


def test_repeated_runs_keep_the_fastest_time_and_the_largest_memory():
    from bench.run import best_of

    runs = [
        _stage("forecast", 12.0, peak=800.0),
        _stage("forecast", 9.0, peak=700.0),
        {**_stage("forecast", 1.0), "status": "failed"},
    ]
    best = best_of(runs)
    assert best["seconds"] == 9.0 and best["peak_rss_mib"] == 800.0
    assert best["runs_seconds"] == [12.0, 9.0, 1.0]
    assert best_of(runs[2:])["status"] == "failed"
