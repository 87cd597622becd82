"""Forecasting stages of the bench: one planning cycle, and the limit (statsforecast native).

Both sides read the same panel from the same warehouse and first run once on
its first two SKUs, so first-call costs (lazy imports, worker start-up, any JIT
compilation) are paid outside the timed section on both sides alike (the
warm-up time is reported). The ratio divides
``run_cycle`` by ``statsforecast_native_cycle``: same series, models and
rolling folds; the cycle adds the driver model, selection, intervals and
reconciliation on top.
"""

from __future__ import annotations

import resource
import time
import warnings
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from bench.driver_memory import RssSampler
from orchestration.settings import forecast_cycle_config

WARM_UP_SKUS = 2


def warm_up_inputs(
    panel: pd.DataFrame, products: pd.DataFrame, drivers: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """The first few SKUs of the real inputs (every region and channel): a tiny panel that
    takes the same code paths, so first-call costs fall outside the timed run."""
    skus = sorted(panel["sku"].unique())[:WARM_UP_SKUS]
    pick = panel[panel["sku"].isin(skus)]
    return (
        pick,
        products[products["sku"].isin(skus)],
        None if drivers is None else drivers[drivers["sku"].isin(skus)],
    )


def _read_inputs(
    conn: duckdb.DuckDBPyConnection, cycle: date, with_drivers: bool, horizon: int = 18
):
    from orchestration.warehouse_io import query

    params = {"cycle_month": cycle}
    panel = query(conn, "cycle_demand_panel", params)
    products = query(conn, "cycle_products")
    drivers = (
        query(conn, "cycle_drivers", {**params, "horizon_months": horizon})
        if with_drivers
        else None
    )
    return panel, products, drivers


def forecast(ctx: dict) -> tuple[float, dict]:
    """Read the cycle's inputs, run the cycle with its backtests, write ml.*.

    The consensus is a dbt model (int_consensus_allocated), built by the plans stage."""
    from models_ml import run_cycle
    from orchestration.warehouse_io import replace_partition

    warnings.simplefilter("ignore")
    cycle = date.fromisoformat(ctx["cycle_month"])
    stamp = pd.Timestamp(cycle)
    config = forecast_cycle_config()  # what make run uses
    steps = {}
    with duckdb.connect(str(Path(ctx["home"]) / "warehouse.duckdb")) as conn:
        t0 = time.perf_counter()
        panel, products, drivers = _read_inputs(
            conn, cycle, with_drivers=True, horizon=config.horizon
        )
        steps["read_inputs"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        run_cycle(*warm_up_inputs(panel, products, drivers), cycle, config)
        steps["warm_up"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        with RssSampler() as rss:
            result = run_cycle(panel, products, drivers, cycle, config)
        steps["run_cycle"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        fc = result.forecast.assign(cycle_month=stamp)
        rows = replace_partition(conn, "ml.forecast", fc, "cycle_month", cycle)
        replace_partition(
            conn,
            "ml.backtest_scores",
            result.backtest.assign(cycle_month=stamp),
            "cycle_month",
            cycle,
        )
        if result.levels is not None:  # as the forecast asset writes them
            replace_partition(
                conn,
                "ml.forecast_levels",
                result.levels.assign(cycle_month=stamp),
                "cycle_month",
                cycle,
            )
        steps["write_outputs"] = time.perf_counter() - t0
    seconds = sum(v for k, v in steps.items() if k != "warm_up")
    return seconds, {
        "steps_seconds": steps,
        "cycle_seconds": steps["run_cycle"],
        "cycle_timings": result.timings,
        "forecast_rows": rows,
        "series": int(fc[["sku", "region", "channel"]].drop_duplicates().shape[0]),
        "panel_series": int(panel[["sku", "region", "channel"]].drop_duplicates().shape[0]),
        "coverage_p10_p90": float(result.coverage.get("coverage", float("nan"))),
        "lag1_wape_selected": result.summary.get("lag1_wape_selected"),
        "models": list(config.models),
        "n_jobs": config.n_jobs,
        "python_peak_rss_mib": _own_peak_mib(),
        **_rss_details(rss, result.timings),
    }


def _own_peak_mib() -> float:
    """Peak resident memory of this Python process alone (not its workers, not a JVM)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_details(rss: RssSampler, timings: dict[str, float]) -> dict:
    """This process's RSS when the cycle starts and its peak in each step of the cycle."""
    return {
        "rss_at_cycle_start_mib": round(rss.samples[0][1], 1) if rss.samples else None,
        "rss_peak_by_step_mib": rss.peaks_by_step(timings),
    }


def forecast_spark(ctx: dict) -> tuple[float, dict]:
    """The cycle on the Spark engine (``spark.master`` of the settings, ``local[2]`` by
    default): the panel goes to Spark as the forecast asset sends it (a parquet file in
    ``spark.staging_dir``), the per-series backtests run per
    partition of series; the outputs are compared with the local stage's ``ml.forecast``
    when it ran first, and not written."""
    from pyspark.sql import functions as sf

    from models_ml import run_cycle
    from models_ml.cycle import reads_drivers
    from orchestration.forecast_engine import cycle_panel
    from orchestration.settings import forecast_engine_settings
    from orchestration.warehouse_io import one_row, query

    warnings.simplefilter("ignore")
    cycle = date.fromisoformat(ctx["cycle_month"])
    config = forecast_cycle_config()
    settings = {**forecast_engine_settings(), "engine": "spark"}
    steps = {}
    with duckdb.connect(str(Path(ctx["home"]) / "warehouse.duckdb"), read_only=True) as conn:
        t0 = time.perf_counter()
        panel, engine, rows = cycle_panel(conn, {"cycle_month": cycle}, settings)
        steps["spark_start_and_panel"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        products = query(conn, "cycle_products")
        drivers = (
            query(conn, "cycle_drivers", {"cycle_month": cycle, "horizon_months": config.horizon})
            if reads_drivers(config, engine)
            else None
        )
        steps["read_inputs"] = time.perf_counter() - t0
        local = None
        if one_row(
            conn,
            "select count(*) from information_schema.tables "
            "where table_schema = 'ml' and table_name = 'forecast'",
        )[0]:
            local = conn.execute(
                "select sku, region, channel, lag, p10, p50, p90 from ml.forecast "
                "where cycle_month = $c order by sku, region, channel, lag",
                {"c": cycle},
            ).df()
    skus = sorted(r[0] for r in panel.select("sku").distinct().limit(50).collect())[:WARM_UP_SKUS]
    warm_products = products[products["sku"].isin(skus)]
    warm_drivers = None if drivers is None else drivers[drivers["sku"].isin(skus)]
    t0 = time.perf_counter()
    run_cycle(
        panel.where(sf.col("sku").isin(skus)), warm_products, warm_drivers, cycle, config, engine
    )
    steps["warm_up"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with RssSampler() as rss:
        result = run_cycle(panel, products, drivers, cycle, config, engine=engine)
    steps["run_cycle"] = time.perf_counter() - t0
    details = {
        "steps_seconds": steps,
        "cycle_seconds": steps["run_cycle"],
        "cycle_timings": result.timings,
        "panel_rows": rows,
        "series": int(result.forecast[["sku", "region", "channel"]].drop_duplicates().shape[0]),
        "master": settings["master"],
        "partitions": settings["partitions"],
        "driver_python_peak_rss_mib": _own_peak_mib(),
        **_rss_details(rss, result.timings),
    }
    if local is not None and len(local):
        mine = result.forecast.sort_values(["sku", "region", "channel", "lag"])
        details["max_abs_diff_vs_local"] = float(
            max(abs(mine[c].to_numpy() - local[c].to_numpy()).max() for c in ("p10", "p50", "p90"))
        )
    seconds = sum(v for k, v in steps.items() if k != "warm_up")
    return seconds, details


def forecast_native(ctx: dict) -> tuple[float, dict]:
    """The forecasting limit: the same models and folds run directly in statsforecast."""
    from bench.native import statsforecast_native_cycle

    warnings.simplefilter("ignore")
    cycle = date.fromisoformat(ctx["cycle_month"])
    stamp = pd.Timestamp(cycle)
    config = forecast_cycle_config()  # what make run uses
    with duckdb.connect(str(Path(ctx["home"]) / "warehouse.duckdb"), read_only=True) as conn:
        panel, products, _ = _read_inputs(conn, cycle, with_drivers=False)
    warm_panel, warm_products, _ = warm_up_inputs(panel, products, None)
    t0 = time.perf_counter()
    statsforecast_native_cycle(warm_panel, config, stamp, warm_products)
    warm_up = time.perf_counter() - t0
    t0 = time.perf_counter()
    native = statsforecast_native_cycle(panel, config, stamp, products)
    seconds = time.perf_counter() - t0
    return seconds, {
        "steps_seconds": {"warm_up": warm_up},
        "native_seconds": seconds,
        "cv_seconds": native["cv_seconds"],
        "forecast_seconds": native["forecast_seconds"],
        "series": int(native["n_series"]),
        "models": list(config.models),
        "n_jobs": config.n_jobs,
    }
