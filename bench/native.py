"""The speed limit: the cycle's statsforecast work done directly in statsforecast.

Same series (built by the same panel preparation), same models, same rolling
folds and the same final horizon, with no sktime layer, no driver model, no
selection, calibration or reconciliation. The benchmark divides the cycle's
wall time by this one.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import Naive

from models_ml.candidates import backtest_groups, make_models
from models_ml.classify import classify_demand
from models_ml.config import CycleConfig
from models_ml.panel import MonthLike, build_series_panel, index_to_month


def statsforecast_native_cycle(
    panel: pd.DataFrame,
    config: CycleConfig | None = None,
    cycle_month: MonthLike | None = None,
    products: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Run cross_validation and forecast natively; return frames and seconds taken.

    ``cycle_month`` defaults to the panel's last month.
    """
    config = config or CycleConfig()
    cycle_month = cycle_month if cycle_month is not None else panel["month"].max()
    series = build_series_panel(panel, cycle_month)
    classes = classify_demand(series, products, config)
    active = np.flatnonzero((classes["demand_class"] != "discontinued").to_numpy())
    eligible = np.flatnonzero(
        (classes["demand_class"] != "discontinued").to_numpy()
        & (classes["n_months"].to_numpy() >= config.min_backtest_length)
    )
    long = series.long.assign(ds=index_to_month(series.long["ds"]).to_numpy())
    engine = StatsForecast(
        models=make_models(config.models, config.season_length),
        freq="MS",
        n_jobs=config.n_jobs,
        fallback_model=Naive(),
    )
    groups = backtest_groups(config.models, config.season_length, config.backtest_refit)
    start = time.perf_counter()
    parts = [
        StatsForecast(
            models=make_models(names, config.season_length),
            freq="MS",
            n_jobs=config.n_jobs,
            fallback_model=Naive(),
        ).cross_validation(
            df=long[long["unique_id"].isin(eligible)],
            h=config.backtest_horizon,
            n_windows=config.backtest_windows,
            step_size=config.backtest_step,
            refit=refit,
        )
        for names, refit in groups
    ]
    keys = ["unique_id", "ds", "cutoff", "y"]
    cv = parts[0] if len(parts) == 1 else parts[0].merge(parts[1], on=keys)
    cv_seconds = time.perf_counter() - start
    start = time.perf_counter()
    fc = engine.forecast(df=long[long["unique_id"].isin(active)], h=config.horizon)
    fc_seconds = time.perf_counter() - start
    return {
        "cross_validation": cv,
        "forecast": fc,
        "seconds": cv_seconds + fc_seconds,
        "cv_seconds": cv_seconds,
        "forecast_seconds": fc_seconds,
        "n_series": len(active),
    }
