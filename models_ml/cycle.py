"""The monthly planning cycle: classify, backtest, select, forecast, calibrate, reconcile."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sktime.forecasting.base import ForecastingHorizon

from models_ml.backtest import (
    DRIVER_MODEL,
    ENSEMBLE,
    add_candidates,
    as_sktime_panel,
    driver_backtest,
    fallback_model,
    score_backtests,
    select_models,
    statistical_backtest,
)
from models_ml.candidates import forecast_long
from models_ml.classify import classify_demand
from models_ml.config import CycleConfig
from models_ml.driver_model import build_driver_inputs, fit_predict_driver_model, series_scale
from models_ml.intervals import (
    apply_intervals,
    conformal_quantiles,
    cross_conformal_coverage,
    interval_offsets,
    scaled_errors,
)
from models_ml.panel import SeriesPanel, build_series_panel, index_to_month, to_wide
from models_ml.panel_forecaster import StatsForecastPanel
from models_ml.reconcile import TOTAL, hierarchy_frame, reconcile, tree_nodes

ZERO = "Zero"


@dataclass(frozen=True)
class CycleResult:
    """Outputs of one planning cycle (tidy frames) plus measured figures."""

    forecast: pd.DataFrame
    backtest: pd.DataFrame
    coverage: dict
    hierarchy: pd.DataFrame
    summary: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)


def seasonal_naive(y_wide: np.ndarray, horizon: int, season_length: int) -> np.ndarray:
    """Same month last season (last value where the series is younger than that)."""
    cycle_col = y_wide.shape[1] - 1
    lags = np.arange(1, horizon + 1)
    source = cycle_col + lags - season_length * np.ceil(lags / season_length).astype(int)
    out = y_wide[:, np.clip(source, 0, None)]
    out = np.where(source[None, :] < 0, np.nan, out)
    return np.where(np.isnan(out), y_wide[:, [cycle_col]], out)


def _aggregate_base(series: SeriesPanel, nodes: pd.DataFrame, active_ids, config) -> np.ndarray:
    """Base forecasts for the aggregate nodes (total, product line, sku) by one model.

    Aggregates are built from the active series only; a node without any (a fully
    discontinued sku) gets a zero base forecast.
    """
    keys = series.keys.set_index("unique_id").loc[active_ids]
    long = series.long[series.long["unique_id"].isin(active_ids)]
    long = long.join(keys[["product_line", "sku"]], on="unique_id")
    agg_nodes = nodes[nodes["region_channel"] == TOTAL].reset_index(drop=True)
    lookup = {tuple(r): i for i, r in enumerate(
        agg_nodes[["product_line", "sku"]].itertuples(index=False))}
    total = long.groupby("ds", as_index=False)["y"].sum()
    total["unique_id"] = lookup[(TOTAL, TOTAL)]
    by_line = long.groupby(["product_line", "ds"], as_index=False)["y"].sum()
    by_line["unique_id"] = [lookup[(pl, TOTAL)] for pl in by_line["product_line"]]
    by_sku = long.groupby(["product_line", "sku", "ds"], as_index=False)["y"].sum()
    by_sku["unique_id"] = [lookup[(pl, s)] for pl, s in
                           zip(by_sku["product_line"], by_sku["sku"], strict=True)]
    agg_long = pd.concat([f[["unique_id", "ds", "y"]] for f in (total, by_line, by_sku)])
    agg_long = agg_long.sort_values(["unique_id", "ds"], kind="stable")
    fc = forecast_long(agg_long, [config.smooth_fallback], config.season_length, config.horizon,
                       config.n_jobs)
    out = np.zeros((len(agg_nodes), config.horizon))
    ids = fc["unique_id"].to_numpy().reshape(-1, config.horizon)[:, 0]
    out[ids] = fc[config.smooth_fallback].to_numpy().reshape(-1, config.horizon)
    return np.clip(np.nan_to_num(out, nan=0.0), 0.0, None)


def run_cycle(
    panel: pd.DataFrame,
    products: pd.DataFrame | None,
    drivers: pd.DataFrame | None,
    cycle_month,
    config: CycleConfig | None = None,
) -> CycleResult:
    """Forecast every sku x region x channel series for months cycle+1 .. cycle+horizon."""
    config = config or CycleConfig()
    timings: dict[str, float] = {}
    tick = time.perf_counter()

    def lap(name):
        nonlocal tick
        now = time.perf_counter()
        timings[name] = round(now - tick, 3)
        tick = now

    cycle_month = pd.Timestamp(cycle_month).to_period("M").to_timestamp()
    series = build_series_panel(panel, cycle_month)
    classes = classify_demand(series, products, config)
    n, h_final = len(series.keys), config.horizon
    start_idx, cycle_idx = int(series.keys["first_idx"].min()), series.cycle_idx
    cycle_col = cycle_idx - start_idx
    y_wide = to_wide(series.long, n, start_idx, cycle_idx)
    active = (classes["demand_class"] != "discontinued").to_numpy()
    eligible = active & (classes["n_months"].to_numpy() >= config.min_backtest_length)
    active_ids = np.flatnonzero(active)
    long_active = series.long[series.long["unique_id"].isin(active_ids)]
    inputs = (build_driver_inputs(series, drivers, start_idx, cycle_idx + h_final,
                                  config.holiday_calendar)
              if config.use_driver_model else None)
    lap("prepare")

    # 1. rolling-origin backtests and selection
    cv = statistical_backtest(long_active[long_active["unique_id"].isin(np.flatnonzero(eligible))],
                              config) if eligible.any() else None
    lap("backtest_statsforecast")
    driver_cv = (driver_backtest(y_wide, inputs, eligible, config)
                 if inputs is not None and cv is not None else None)
    lap("backtest_driver")
    selected = pd.Series(dtype=object)
    scores = pd.DataFrame(columns=["unique_id", "model", "wape", "mase", "n_origins"])
    coverage = {"nominal": config.quantiles[1] - config.quantiles[0], "coverage": float("nan")}
    errors = None
    if cv is not None:
        cv, candidates = add_candidates(cv, driver_cv, config)
        scores = score_backtests(cv, candidates, y_wide, start_idx, config)
        selected = select_models(scores, candidates)
        cutoffs = np.unique(cv["cutoff"])
        scale_by_cutoff = pd.concat([
            pd.Series(series_scale(y_wide, int(c) - start_idx),
                      index=pd.MultiIndex.from_arrays([np.arange(n), np.full(n, c)]))
            for c in cutoffs
        ])
        class_of = classes.set_index("unique_id")["demand_class"]
        errors = scaled_errors(cv, selected, scale_by_cutoff, class_of)
        coverage = cross_conformal_coverage(errors, config.quantiles, config.backtest_horizon)
    model_of = np.array([
        selected.get(i, fallback_model(c, config)) if a else ZERO
        for i, (c, a) in enumerate(zip(classes["demand_class"], active, strict=True))
    ], dtype=object)
    lap("select")

    # 2. final forecasts: statsforecast candidates through the sktime panel forecaster
    base = np.zeros((n, h_final))
    if len(active_ids):
        forecaster = StatsForecastPanel(config.models, config.season_length, config.n_jobs)
        fh = ForecastingHorizon(np.arange(1, h_final + 1), is_relative=True)
        forecaster.fit(as_sktime_panel(long_active), fh=fh)
        per_model = forecaster.predict_by_model(fh)
        lap("forecast_statsforecast")
        columns = {m: per_model[m].to_numpy().reshape(len(active_ids), h_final)
                   for m in config.models}
        if inputs is not None:
            columns[DRIVER_MODEL] = fit_predict_driver_model(
                y_wide, inputs, cycle_col, h_final, config.lgbm_params, config.seed,
                config.lgbm_threads)[active_ids]
        members = [m for m in config.ensemble_members if m in columns]
        if config.use_ensemble and len(members) >= 2:
            columns[ENSEMBLE] = np.mean([columns[m] for m in members], axis=0)
        lap("forecast_driver")
        for m, values in columns.items():
            rows = model_of[active_ids] == m
            base[active_ids[rows]] = values[rows]
    base = np.clip(np.nan_to_num(base, nan=0.0), 0.0, None)
    target_idx = cycle_idx + np.arange(1, h_final + 1)
    alive = target_idx[None, :] <= classes["last_sold_idx"].to_numpy()[:, None]
    base = np.where(alive, base, 0.0)

    # 3. reconciliation over total -> product line -> sku -> bottom
    bottom = series.keys[["product_line", "sku"]].assign(
        region_channel=series.keys["region"] + "|" + series.keys["channel"])
    nodes, s = tree_nodes(bottom)
    if config.reconcile_method != "bu" and len(active_ids):
        agg = _aggregate_base(series, nodes, active_ids, config)
    else:  # bottom-up ignores the aggregates' base forecasts
        agg = np.zeros((len(nodes) - n, h_final))
    rec = reconcile(np.vstack([agg, base]), nodes, s, config.reconcile_method,
                    config.sktime_reconcile_max_nodes)
    p50 = np.where(alive, np.clip(rec, 0.0, None), 0.0)
    lap("reconcile")

    # 4. conformal P10/P90 around the reconciled P50
    scale = series_scale(y_wide, cycle_col)
    lags = np.arange(1, h_final + 1)
    cls_grid = np.repeat(classes["demand_class"].to_numpy(), h_final)
    if errors is not None and len(errors):
        table = conformal_quantiles(errors, config.quantiles)
        q_lo, q_hi = interval_offsets(table, cls_grid, np.tile(lags, n), config.backtest_horizon)
    else:
        q_lo = q_hi = np.zeros(n * h_final)
    ratio = np.where(base > 0, p50 / np.where(base > 0, base, 1.0), 1.0).clip(0.5, 2.0)
    p10, p50_flat, p90 = apply_intervals(p50.ravel(), (scale[:, None] * ratio).ravel(), q_lo, q_hi)
    zero = ~alive.ravel()
    p10, p90 = np.where(zero, 0.0, p10), np.where(zero, 0.0, p90)

    naive = seasonal_naive(y_wide, h_final, config.season_length)
    keys = series.keys
    forecast = pd.DataFrame({
        "cycle_month": cycle_month,
        "sku": np.repeat(keys["sku"].to_numpy(), h_final),
        "product_line": np.repeat(keys["product_line"].to_numpy(), h_final),
        "region": np.repeat(keys["region"].to_numpy(), h_final),
        "channel": np.repeat(keys["channel"].to_numpy(), h_final),
        "target_month": np.tile(index_to_month(target_idx).to_numpy(), n),
        "lag": np.tile(lags, n),
        "p10": p10, "p50": p50_flat, "p90": p90,
        "naive": naive.ravel(),
        "model": np.repeat(model_of, h_final),
        "demand_class": cls_grid,
    })
    hierarchy = hierarchy_frame(forecast)
    backtest = _backtest_frame(scores, selected, keys, classes, cycle_month)
    summary = _summary(cv, selected, candidates) if cv is not None else {}
    lap("assemble")
    return CycleResult(forecast, backtest, coverage, hierarchy, summary, timings)


def _backtest_frame(scores, selected, keys, classes, cycle_month) -> pd.DataFrame:
    """Per series x candidate: WAPE, MASE, origins and the selected flag."""
    out = scores.merge(keys[["unique_id", "sku", "product_line", "region", "channel"]],
                       on="unique_id")
    out = out.merge(classes[["unique_id", "demand_class"]], on="unique_id")
    out["selected"] = out["model"].to_numpy() == out["unique_id"].map(selected).to_numpy()
    out.insert(0, "cycle_month", cycle_month)
    return out[["cycle_month", "sku", "product_line", "region", "channel", "demand_class",
                "model", "wape", "mase", "n_origins", "selected"]].reset_index(drop=True)


def _summary(cv: pd.DataFrame, selected: pd.Series, candidates) -> dict:
    """Lag-1 backtest WAPE of the selected models and of every candidate (pooled)."""
    lag1 = cv[cv["horizon"] == 1]
    actual = lag1["y"].sum()
    chosen = lag1["unique_id"].map(selected)
    pred = np.zeros(len(lag1))
    for m in chosen.unique():
        mask = (chosen == m).to_numpy()
        pred[mask] = lag1.loc[mask, m].to_numpy()
    out = {"lag1_wape_selected": float(np.abs(pred - lag1["y"]).sum() / actual)}
    for m in candidates:
        out[f"lag1_wape_{m}"] = float(np.abs(lag1[m] - lag1["y"]).sum() / actual)
    return out
