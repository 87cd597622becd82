"""Forecast stage: one monthly partition per planning cycle "as of month M".

Reads only what was known at the end of M, calls :func:`models_ml.run_cycle`
and replaces that cycle's rows in ``ml.*`` so re-running a cycle never
duplicates it. Versions are kept: every cycle's forecast stays beside the
others, for accuracy by lag. The consensus (the sales team's numbers spread
over the statistical forecast) is the dbt model ``int_consensus_allocated``,
built right after this asset by the jobs (``orchestration.jobs``).
"""

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import dagster as dg
import pandas as pd

from models_ml import CycleResult, run_cycle
from models_ml.cycle import reads_drivers
from orchestration.checks import AS_OF_TAG, require_quality_gate
from orchestration.cycles import (
    CycleNotPlannableError,
    cycle_window,
    data_as_of,
    loaded_order_history,
    min_history_months,
)
from orchestration.dbt_build import PLANNING_SUITE
from orchestration.forecast_engine import cycle_panel
from orchestration.partitions import planning_cycles
from orchestration.resources import WAREHOUSE_POOL, Warehouse
from orchestration.settings import forecast_cycle_config, platform_settings
from orchestration.warehouse_io import query, replace_partition

FORECAST_INPUTS = [
    dg.AssetKey(["marts", "fct_demand_monthly"]),
    dg.AssetKey(["marts", "dim_product"]),
    dg.AssetKey(["intermediate", "int_demand_drivers_monthly"]),
]


@contextmanager
def forked_workers_end_quietly() -> Iterator[None]:
    """Default SIGTERM handling while statsforecast forks its worker pools.

    statsforecast ends its pools with SIGTERM. Dagster routes SIGTERM to its
    interrupt handler, which forked workers inherit, so every ended worker
    printed a DagsterExecutionInterruptedError traceback into the run's output.
    Workers forked inside this block exit silently; the run's own handler is
    restored afterwards (until then a SIGTERM ends the run at once).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def require_plannable(conn, cycle: date, tags) -> None:
    """Fail the run, without retry, when the data cannot support the cycle (see ``orchestration.cycles``).

    The as-of date is the run's ``sop/as_of`` tag, else the one the loaded data gives.
    """
    history = loaded_order_history(conn)
    as_of = date.fromisoformat(tags[AS_OF_TAG]) if tags.get(AS_OF_TAG) else data_as_of(history)
    try:
        cycle_window(history, as_of or cycle, min_history_months(platform_settings())).check(cycle)
    except CycleNotPlannableError as reason:
        raise dg.Failure(description=str(reason), allow_retries=False) from None


FORECAST_KEY = dg.AssetKey(["ml", "forecast"])
FORECAST_LEVELS_KEY = dg.AssetKey(["ml", "forecast_levels"])


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            FORECAST_KEY,
            group_name="demand",
            deps=FORECAST_INPUTS,
            kinds={"sktime", "statsforecast", "duckdb"},
            description="Statistical forecast of one cycle: P10/P50/P90 per sku x region x channel "
            "x month, from product line x region nodes spread by shares (middle-out).",
        ),
        dg.AssetSpec(
            FORECAST_LEVELS_KEY,
            group_name="demand",
            deps=FORECAST_INPUTS,
            kinds={"duckdb"},
            skippable=True,
            description="P10/P50/P90 at product line x region, product line and total, each band "
            "calibrated on that level's own backtest (what plans read for ranges).",
        ),
    ],
    partitions_def=planning_cycles,
    pool=WAREHOUSE_POOL,
    retry_policy=dg.RetryPolicy(max_retries=1, delay=10),
    can_subset=False,
)
def demand_forecast(context: dg.AssetExecutionContext, warehouse: Warehouse):
    cycle = date.fromisoformat(context.partition_key)
    params = {"cycle_month": cycle}
    config = forecast_cycle_config()
    with warehouse.connect() as conn:
        require_quality_gate(conn, exclude_suites=(PLANNING_SUITE,))
        require_plannable(conn, cycle, context.run.tags)
        panel, engine, panel_rows = cycle_panel(conn, params)
        products = query(conn, "cycle_products")
        drivers = (
            query(conn, "cycle_drivers", {**params, "horizon_months": config.horizon})
            if reads_drivers(config, engine)
            else None
        )
        if not panel_rows:
            raise dg.Failure(
                f"no demand history on or before {cycle:%Y-%m} in marts.fct_demand_monthly"
            )
        with forked_workers_end_quietly():
            result = run_cycle(panel, products, drivers, cycle, config, engine=engine)
        forecast = result.forecast.assign(cycle_month=pd.Timestamp(cycle))
        backtest = result.backtest.assign(cycle_month=pd.Timestamp(cycle))
        rows = replace_partition(conn, "ml.forecast", forecast, "cycle_month", cycle)
        replace_partition(conn, "ml.backtest_scores", backtest, "cycle_month", cycle)
        level_rows = None
        if result.levels is not None:  # ranges of sums, calibrated at their own level
            level_rows = replace_partition(
                conn,
                "ml.forecast_levels",
                result.levels.assign(cycle_month=pd.Timestamp(cycle)),
                "cycle_month",
                cycle,
            )
    if level_rows is not None:
        yield dg.MaterializeResult(
            asset_key=FORECAST_LEVELS_KEY,
            metadata={
                "cycle_month": f"{cycle:%Y-%m}",
                "dagster/row_count": level_rows,
                "level_choice": dg.MetadataValue.json(result.summary.get("level_choice", {})),
            },
        )
    yield dg.MaterializeResult(
        asset_key=FORECAST_KEY, metadata=forecast_metadata(cycle, result, forecast, rows)
    )


def forecast_metadata(
    cycle: date, result: CycleResult, forecast: pd.DataFrame, rows: int
) -> dict[str, Any]:
    """The ``ml/forecast`` materialization's metadata: size, backtest figures, models chosen."""
    series = forecast.drop_duplicates(["sku", "region", "channel"])
    return {
        "cycle_month": f"{cycle:%Y-%m}",
        "dagster/row_count": rows,
        "series": len(series),
        "p10_p90_backtest_coverage": dg.MetadataValue.float(
            float(result.coverage.get("coverage", float("nan")))
        ),
        "lag1_backtest_wape": dg.MetadataValue.json(result.lag1_wape()),
        "selected_models": dg.MetadataValue.json(
            {str(model): int(n) for model, n in series["model"].value_counts().items()}
        ),
        "timings_s": dg.MetadataValue.json(result.timings),
        "node_models": dg.MetadataValue.json(result.summary.get("node_models", {})),
    }


forecast_assets = [demand_forecast]
