"""The monthly planning cycle: classify, backtest, select, forecast, calibrate, reconcile."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

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
from models_ml.classify import classify_demand, known_at
from models_ml.config import CycleConfig
from models_ml.driver_model import build_driver_inputs, fit_predict_driver_model, series_scale
from models_ml.intervals import (
    apply_intervals,
    conformal_quantiles,
    cross_conformal_coverage,
    interval_offsets,
    scaled_errors,
)
from models_ml.level_intervals import (
    apply_bottom,
    apply_level,
    bottom_table,
    level_quantiles,
    recent_origins,
)
from models_ml.level_select import select_levels
from models_ml.middle_out import (
    NodePanel,
    bottom_backtest,
    forecast_nodes,
    node_panel,
    shares,
    spread,
)
from models_ml.panel import MonthLike, SeriesPanel, build_series_panel, index_to_month, to_wide
from models_ml.panel_forecaster import StatsForecastPanel
from models_ml.reconcile import TOTAL, hierarchy_frame, reconcile, tree_nodes

ZERO = "Zero"
MIDDLE_OUT = "middle_out"
LAG1_WAPE = "lag1_wape_"
"""Prefix of the summary's pooled lag-1 backtest WAPEs: ``selected`` and one per candidate."""


@dataclass(frozen=True)
class CycleResult:
    """Outputs of one planning cycle (tidy frames) plus measured figures."""

    forecast: pd.DataFrame
    backtest: pd.DataFrame
    coverage: dict[str, Any]
    hierarchy: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    levels: pd.DataFrame | None = None
    """P10/P50/P90 at product_line_region, product_line, total and sku (middle-out), each
    range calibrated on that level's own backtest, not added up from the series'."""

    def lag1_wape(self) -> dict[str, float]:
        """Pooled lag-1 backtest WAPE by model (``selected`` and each candidate); empty without a backtest."""
        return {
            key.removeprefix(LAG1_WAPE): float(value)
            for key, value in self.summary.items()
            if key.startswith(LAG1_WAPE)
        }


NAIVE_SEASONAL = "seasonal_naive"
NAIVE_FALLBACK = "history_mean"


def seasonal_naive(
    y_wide: np.ndarray, horizon: int, season_length: int
) -> tuple[np.ndarray, np.ndarray]:
    """Same month last season; where the series is younger than a season, its mean so far.

    Returns (forecast series x horizon, method per series): ``seasonal_naive`` where a
    full season of history exists, else ``history_mean`` (the mean of the months the
    series has existed: its last value alone is one noisy month).
    """
    cycle_col = y_wide.shape[1] - 1
    lags = np.arange(1, horizon + 1)
    source = cycle_col + lags - season_length * np.ceil(lags / season_length).astype(int)
    out = y_wide[:, np.clip(source, 0, None)]
    out = np.where(source[None, :] < 0, np.nan, out)
    seen = (~np.isnan(y_wide)).sum(axis=1)
    full = seen >= season_length
    with np.errstate(invalid="ignore"):
        mean = np.nansum(y_wide, axis=1) / np.maximum(seen, 1)
    out = np.where(full[:, None] & ~np.isnan(out), out, mean[:, None])
    method = np.where(full, NAIVE_SEASONAL, NAIVE_FALLBACK).astype(object)
    return out, method


def _aggregate_base(
    series: SeriesPanel, nodes: pd.DataFrame, active_ids: np.ndarray, config: CycleConfig
) -> np.ndarray:
    """Base forecasts for the aggregate nodes (total, product line, sku) by one model.

    Aggregates are built from the active series only; a node without any (a fully
    discontinued sku) gets a zero base forecast.
    """
    keys = series.keys.set_index("unique_id").loc[active_ids]
    long = series.long[series.long["unique_id"].isin(active_ids)]
    long = long.join(keys[["product_line", "sku"]], on="unique_id")
    agg_nodes = nodes[nodes["region_channel"] == TOTAL].reset_index(drop=True)
    lookup = {
        tuple(r): i
        for i, r in enumerate(agg_nodes[["product_line", "sku"]].itertuples(index=False))
    }
    total = long.groupby("ds", as_index=False)["y"].sum()
    total["unique_id"] = lookup[(TOTAL, TOTAL)]
    by_line = long.groupby(["product_line", "ds"], as_index=False)["y"].sum()
    by_line["unique_id"] = [lookup[(pl, TOTAL)] for pl in by_line["product_line"]]
    by_sku = long.groupby(["product_line", "sku", "ds"], as_index=False)["y"].sum()
    by_sku["unique_id"] = [
        lookup[(pl, s)] for pl, s in zip(by_sku["product_line"], by_sku["sku"], strict=True)
    ]
    agg_long = pd.concat([f[["unique_id", "ds", "y"]] for f in (total, by_line, by_sku)])
    agg_long = agg_long.sort_values(["unique_id", "ds"], kind="stable")
    fc = forecast_long(
        agg_long, [config.smooth_fallback], config.season_length, config.horizon, config.n_jobs
    )
    out = np.zeros((len(agg_nodes), config.horizon))
    ids = fc["unique_id"].to_numpy().reshape(-1, config.horizon)[:, 0]
    out[ids] = fc[config.smooth_fallback].to_numpy().reshape(-1, config.horizon)
    clipped: np.ndarray = np.clip(np.nan_to_num(out, nan=0.0), 0.0, None)
    return clipped


def series_backtest(
    series: SeriesPanel, classes: pd.DataFrame, config: CycleConfig
) -> pd.DataFrame | None:
    """The per-series work of a cycle: the rolling-origin backtest of every eligible series.

    A pure function of a chunk of series (and the config): each series' backtest
    depends on that series alone, so the local engine runs it on all series at once
    and the Spark engine on each partition of them, with identical results. None
    when no series of the chunk is long enough for a full backtest.
    """
    active = (classes["demand_class"] != "discontinued").to_numpy()
    eligible = active & (classes["n_months"].to_numpy() >= config.min_backtest_length)
    if not eligible.any():
        return None
    long = series.long[series.long["unique_id"].isin(np.flatnonzero(eligible))]
    return statistical_backtest(long, config)


class CycleEngine(Protocol):
    """Where a cycle's per-series work runs. ``panel`` is whatever the engine reads
    (a pandas frame for :class:`LocalEngine`, a Spark DataFrame for the Spark engine)."""

    pooled_driver_model: bool
    """Whether the cycle fits the LightGBM driver candidate (one model pooled over all
    series, in this process) when ``config.use_driver_model`` asks for it."""

    def series_panel(self, panel: Any, cycle_month: MonthLike) -> SeriesPanel:
        """The bottom series of the cycle."""
        ...

    def backtest(
        self,
        panel: Any,
        series: SeriesPanel,
        classes: pd.DataFrame,
        products: pd.DataFrame | None,
        cycle_month: MonthLike,
        config: CycleConfig,
    ) -> pd.DataFrame | None:
        """The rolling-origin backtest of the eligible series (None: no series has one)."""
        ...


class LocalEngine:
    """Every series in this process (statsforecast's own worker pool): the default."""

    pooled_driver_model = True

    def series_panel(self, panel: pd.DataFrame, cycle_month: MonthLike) -> SeriesPanel:
        """The bottom series of the cycle from the tidy demand panel."""
        return build_series_panel(panel, cycle_month)

    def backtest(
        self,
        panel: pd.DataFrame,
        series: SeriesPanel,
        classes: pd.DataFrame,
        products: pd.DataFrame | None,
        cycle_month: MonthLike,
        config: CycleConfig,
    ) -> pd.DataFrame | None:
        """:func:`series_backtest` on all series at once."""
        return series_backtest(series, classes, config)


def reads_drivers(config: CycleConfig, engine: CycleEngine | None = None) -> bool:
    """Whether :func:`run_cycle` reads its ``drivers`` (promotions, prices): only the pooled
    LightGBM candidate does, and the Spark engine leaves it out unless ``spark.driver_model``.
    A caller that skips reading them when not spares the driver the query's memory."""
    return config.use_driver_model and (engine or LocalEngine()).pooled_driver_model


def run_cycle(
    panel: Any,
    products: pd.DataFrame | None,
    drivers: pd.DataFrame | None,
    cycle_month: MonthLike,
    config: CycleConfig | None = None,
    engine: CycleEngine | None = None,
) -> CycleResult:
    """Forecast every sku x region x channel series for months cycle+1 .. cycle+horizon.

    ``engine`` runs the per-series work: :class:`LocalEngine` (default; ``panel`` is a
    pandas frame) or :class:`models_ml.spark_engine.SparkEngine` (``panel`` is a Spark
    DataFrame of the same columns). The aggregate levels and the reconciliation run
    here either way.
    """
    config = config or CycleConfig()
    engine = engine or LocalEngine()
    timings: dict[str, float] = {}
    tick = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal tick
        now = time.perf_counter()
        timings[name] = round(now - tick, 3)
        tick = now

    month = pd.Timestamp(cycle_month).to_period("M").to_timestamp()
    series = engine.series_panel(panel, month)
    products = known_at(products, month)
    classes = classify_demand(series, products, config)
    n, h_final = len(series.keys), config.horizon
    start_idx, cycle_idx = int(series.keys["first_idx"].min()), series.cycle_idx
    cycle_col = cycle_idx - start_idx
    y_wide = to_wide(series.long, n, start_idx, cycle_idx)
    active = (classes["demand_class"] != "discontinued").to_numpy()
    eligible = active & (classes["n_months"].to_numpy() >= config.min_backtest_length)
    active_ids = np.flatnonzero(active)
    inputs = (
        build_driver_inputs(
            series, drivers, start_idx, cycle_idx + h_final, config.holiday_calendar
        )
        if reads_drivers(config, engine)
        else None
    )
    lap("prepare")

    # 1. rolling-origin backtests and selection
    cv = engine.backtest(panel, series, classes, products, month, config)
    lap("backtest_statsforecast")
    driver_cv = (
        driver_backtest(y_wide, inputs, eligible, config)
        if inputs is not None and cv is not None
        else None
    )
    lap("backtest_driver")
    selected = pd.Series(dtype=object)
    candidates: list[str] = []
    scores = pd.DataFrame(columns=["unique_id", "model", "wape", "mase", "n_origins"])
    coverage = {"nominal": config.quantiles[1] - config.quantiles[0], "coverage": float("nan")}
    errors = None
    if cv is not None:
        cv, candidates = add_candidates(cv, driver_cv, config)
        scores = score_backtests(cv, candidates, y_wide, start_idx, config)
        selected = select_models(scores, candidates)
        cutoffs = np.unique(cv["cutoff"])
        scale_by_cutoff = pd.concat(
            [
                pd.Series(
                    series_scale(y_wide, int(c) - start_idx),
                    index=pd.MultiIndex.from_arrays([np.arange(n), np.full(n, c)]),
                )
                for c in cutoffs
            ]
        )
        class_of = classes.set_index("unique_id")["demand_class"]
        errors = scaled_errors(cv, selected, scale_by_cutoff, class_of)
        coverage = cross_conformal_coverage(errors, config.quantiles, config.backtest_horizon)
    model_of = np.array(
        [
            selected.get(i, fallback_model(c, config)) if a else ZERO
            for i, (c, a) in enumerate(zip(classes["demand_class"], active, strict=True))
        ],
        dtype=object,
    )
    lap("select")
    if config.reconcile_method == MIDDLE_OUT:  # the series' own forecasts are not needed
        summary = _summary(cv, selected, candidates) if cv is not None else {}
        del cv, driver_cv, errors, inputs  # per-series rows the spread does not read
        return _middle_out_cycle(
            series,
            classes,
            y_wide,
            start_idx,
            month,
            config,
            scores,
            selected,
            summary,
            coverage,
            timings,
            lap,
        )

    # 2. final forecasts: statsforecast candidates through the sktime panel forecaster
    base = np.zeros((n, h_final))
    if len(active_ids):
        forecaster = StatsForecastPanel(config.models, config.season_length, config.n_jobs)
        fh = ForecastingHorizon(np.arange(1, h_final + 1), is_relative=True)
        long_active = series.long[series.long["unique_id"].isin(active_ids)]
        forecaster.fit(as_sktime_panel(long_active), fh=fh)
        per_model = forecaster.predict_by_model(fh)
        lap("forecast_statsforecast")
        columns = {
            m: per_model[m].to_numpy().reshape(len(active_ids), h_final) for m in config.models
        }
        if inputs is not None:
            columns[DRIVER_MODEL] = fit_predict_driver_model(
                y_wide,
                inputs,
                cycle_col,
                h_final,
                config.lgbm_params,
                config.seed,
                config.lgbm_threads,
            )[active_ids]
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
        region_channel=series.keys["region"] + "|" + series.keys["channel"]
    )
    nodes, s = tree_nodes(bottom)
    if config.reconcile_method != "bu" and len(active_ids):
        agg = _aggregate_base(series, nodes, active_ids, config)
    else:  # bottom-up ignores the aggregates' base forecasts
        agg = np.zeros((len(nodes) - n, h_final))
    rec = reconcile(
        np.vstack([agg, base]), nodes, s, config.reconcile_method, config.sktime_reconcile_max_nodes
    )
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

    forecast = _forecast_frame(
        series, y_wide, month, target_idx, p10, p50_flat, p90, model_of, cls_grid, config
    )
    hierarchy = hierarchy_frame(forecast)
    backtest = _backtest_frame(scores, selected, series.keys, classes, month)
    summary = _summary(cv, selected, candidates) if cv is not None else {}
    lap("assemble")
    return CycleResult(forecast, backtest, coverage, hierarchy, summary, timings)


def _forecast_frame(
    series: SeriesPanel,
    y_wide: np.ndarray,
    cycle_month: pd.Timestamp,
    target_idx: np.ndarray,
    p10: np.ndarray,
    p50: np.ndarray,
    p90: np.ndarray,
    model_of: np.ndarray,
    cls_grid: np.ndarray,
    config: CycleConfig,
) -> pd.DataFrame:
    """The tidy forecast: one row per series x lag."""
    h_final = config.horizon
    n = len(series.keys)
    lags = np.arange(1, h_final + 1)
    naive, naive_method = seasonal_naive(y_wide, h_final, config.season_length)
    keys = series.keys
    return pd.DataFrame(  # copy=False: the columns are fresh arrays, no second copy of them
        {
            "cycle_month": cycle_month,
            "sku": np.repeat(keys["sku"].to_numpy(), h_final),
            "product_line": np.repeat(keys["product_line"].to_numpy(), h_final),
            "region": np.repeat(keys["region"].to_numpy(), h_final),
            "channel": np.repeat(keys["channel"].to_numpy(), h_final),
            "target_month": np.tile(index_to_month(target_idx).to_numpy(), n),
            "lag": np.tile(lags, n),
            "p10": p10,
            "p50": p50,
            "p90": p90,
            "naive": naive.ravel(),
            "naive_method": np.repeat(naive_method, h_final),
            "model": np.repeat(model_of, h_final),
            "demand_class": cls_grid,
        },
        copy=False,
    )


def _middle_out_cycle(
    series: SeriesPanel,
    classes: pd.DataFrame,
    y_wide: np.ndarray,
    start_idx: int,
    cycle_month: pd.Timestamp,
    config: CycleConfig,
    scores: pd.DataFrame,
    selected: pd.Series,
    summary: dict[str, Any],
    coverage: dict[str, Any],
    timings: dict[str, float],
    lap: Callable[[str], None],
) -> CycleResult:
    """Steps 3-4 by middle-out: product line x region nodes spread by shares, level intervals.

    ``summary``: the per-series backtest's figures (:func:`_summary`), computed by the caller
    so that the backtest rows are freed before the spread builds its own.
    """
    n, h_final = len(series.keys), config.horizon
    cycle_col = series.cycle_idx - start_idx
    lags = np.arange(1, h_final + 1)
    target_idx = series.cycle_idx + lags
    active = (classes["demand_class"] != "discontinued").to_numpy()
    last_col = np.minimum(classes["last_sold_idx"].to_numpy() - start_idx, 10**9)
    first_col = series.keys["first_idx"].to_numpy() - start_idx
    alive = (target_idx[None, :] <= classes["last_sold_idx"].to_numpy()[:, None]) & active[:, None]

    nodes = node_panel(series.keys, y_wide)
    node = forecast_nodes(nodes, cycle_col, config)
    lap("forecast_nodes")
    choice = None
    if config.select_levels:
        node, choice = select_levels(nodes, node, cycle_col, config)
        lap("select_levels")
    weight = np.where(
        active, shares(y_wide, nodes.y, nodes.node_of, cycle_col, config.share_window), 0.0
    )
    p50 = spread(node.forecast, nodes, weight, alive, config.hand_over_discontinued)
    lag_grid = np.tile(lags, n)
    # Only the origins that calibrate the bands: the bottom backtest is series x origins x
    # horizons, the largest frame the cycle builds, and older origins were dropped anyway.
    calibrating = recent_origins(node.cv, config.interval_origins)
    bt = bottom_backtest(y_wide, nodes, calibrating, first_col, last_col, config.share_window)
    edges, table = bottom_table(bt, config.quantiles, config.interval_origins)
    p10, p90 = apply_bottom(p50.ravel(), lag_grid, edges, table)
    zero = ~alive.ravel()
    p10, p90 = np.where(zero, 0.0, p10), np.where(zero, 0.0, p90)
    coverage = {**coverage, "bottom_backtest_coverage": _inside(bt, edges, table)}
    sku_band = _sku_band(bt, series.keys, config)
    del bt  # series x origins x horizons: freed before the outputs are built
    model = np.where(active, node.model[nodes.node_of] + "@product_line_region", ZERO)
    cls_grid = np.repeat(classes["demand_class"].to_numpy(), h_final)
    forecast = _forecast_frame(
        series, y_wide, cycle_month, target_idx, p10, p50.ravel(), p90, model, cls_grid, config
    )
    levels = pd.concat(
        [
            _level_frame(forecast, nodes, node.cv, config),
            _sku_frame(forecast, sku_band),
        ],
        ignore_index=True,
    )
    lap("intervals")
    hierarchy = hierarchy_frame(forecast)
    backtest = _backtest_frame(scores, selected, series.keys, classes, cycle_month)
    summary = {**summary, "node_models": pd.Series(node.model).value_counts().to_dict()}
    if choice is not None:
        summary["level_choice"] = {
            "total": choice.total,
            "product_line": choice.product_line.to_dict(),
        }
    lap("assemble")
    return CycleResult(forecast, backtest, coverage, hierarchy, summary, timings, levels)


def _inside(bt: pd.DataFrame, edges: np.ndarray, table: pd.DataFrame) -> float:
    """In-sample share of the bottom backtest (its calibrating origins) inside its own band,
    counted a slice of rows at a time (the backtest is series x origins x horizons)."""
    if bt.empty or table.empty:
        return float("nan")
    forecast, horizon, y = (bt[c].to_numpy() for c in ("forecast", "horizon", "y"))
    inside = 0
    for start in range(0, len(bt), INSIDE_CHUNK):
        part = slice(start, start + INSIDE_CHUNK)
        lo, hi = apply_bottom(forecast[part], horizon[part], edges, table)
        inside += int(((y[part] >= lo - 1e-9) & (y[part] <= hi + 1e-9)).sum())
    return inside / len(bt)


INSIDE_CHUNK = 1 << 17


LEVEL_KEYS = {
    "product_line_region": ["product_line", "region"],
    "product_line": ["product_line"],
    "total": [],
}


def _level_frame(
    forecast: pd.DataFrame, nodes: NodePanel, node_cv: pd.DataFrame, config: CycleConfig
) -> pd.DataFrame:
    """P10/P50/P90 per aggregate level: P50 summed, range calibrated on the level's backtest."""
    cv = node_cv.join(nodes.keys, on="unique_id")
    frames: list[pd.DataFrame] = []
    for level, keys in LEVEL_KEYS.items():
        by = [*keys, "target_month", "lag"]
        agg = forecast.groupby(by, as_index=False)[["p50"]].sum()
        level_cv = cv.groupby([*keys, "cutoff", "horizon"], as_index=False)[["y", "forecast"]].sum()
        q = level_quantiles(level_cv, config.quantiles, config.interval_origins)
        agg["p10"], agg["p90"] = apply_level(agg["p50"].to_numpy(), agg["lag"].to_numpy(), q)
        agg.insert(0, "level", level)
        frames.append(agg)
    out = pd.concat(frames, ignore_index=True)
    month = forecast["cycle_month"].iloc[0] if len(forecast) else pd.NaT
    out.insert(1, "cycle_month", month)  # type: ignore[arg-type]  # pandas-stubs omit NaT
    for col in ("product_line", "region"):
        if col not in out:
            out[col] = None
    out["sku"] = None
    return out[
        [
            "level",
            "cycle_month",
            "product_line",
            "region",
            "sku",
            "target_month",
            "lag",
            "p10",
            "p50",
            "p90",
        ]
    ]


def _sku_band(
    bt: pd.DataFrame, keys: pd.DataFrame, config: CycleConfig
) -> tuple[np.ndarray, pd.DataFrame]:
    """Size edges and band ratios per SKU (all regions and channels), for safety stock.

    The band is calibrated on the spread backtest summed per SKU, pooled by forecast
    size like the bottom's (a SKU selling 5 a month has a wider ratio range than one
    selling 5,000), instead of adding the series' quantiles or their squares.
    """
    codes = pd.factorize(keys["sku"])[0]  # grouped on codes: no copy of bt with strings
    rows = pd.DataFrame(
        {
            "sku_code": codes[bt["unique_id"].to_numpy().astype(int)],
            "cutoff": bt["cutoff"].to_numpy(),
            "horizon": bt["horizon"].to_numpy(),
            "y": bt["y"].to_numpy(),
            "forecast": bt["forecast"].to_numpy(),
        },
        copy=False,
    )
    sku_bt = rows.groupby(["sku_code", "cutoff", "horizon"], as_index=False)[
        ["y", "forecast"]
    ].sum()
    return bottom_table(sku_bt, config.quantiles, config.interval_origins)


def _sku_frame(forecast: pd.DataFrame, band: tuple[np.ndarray, pd.DataFrame]) -> pd.DataFrame:
    """P10/P50/P90 per SKU: the P50 summed over regions and channels, the ``band`` of
    :func:`_sku_band`."""
    columns = [
        "level",
        "cycle_month",
        "product_line",
        "region",
        "sku",
        "target_month",
        "lag",
        "p10",
        "p50",
        "p90",
    ]
    if forecast.empty:
        return pd.DataFrame(columns=columns)
    edges, table = band
    agg = forecast.groupby(["product_line", "sku", "target_month", "lag"], as_index=False)[
        ["p50"]
    ].sum()
    agg["p10"], agg["p90"] = apply_bottom(
        agg["p50"].to_numpy(), agg["lag"].to_numpy(), edges, table
    )
    agg["level"], agg["cycle_month"], agg["region"] = "sku", forecast["cycle_month"].iloc[0], None
    return agg[columns]


def _backtest_frame(
    scores: pd.DataFrame,
    selected: pd.Series,
    keys: pd.DataFrame,
    classes: pd.DataFrame,
    cycle_month: pd.Timestamp,
) -> pd.DataFrame:
    """Per series x candidate: WAPE, MASE, origins and the selected flag."""
    out = scores.merge(
        keys[["unique_id", "sku", "product_line", "region", "channel"]], on="unique_id"
    )
    out = out.merge(classes[["unique_id", "demand_class"]], on="unique_id")
    out["selected"] = out["model"].to_numpy() == out["unique_id"].map(selected).to_numpy()
    out.insert(0, "cycle_month", cycle_month)
    return out[
        [
            "cycle_month",
            "sku",
            "product_line",
            "region",
            "channel",
            "demand_class",
            "model",
            "wape",
            "mase",
            "n_origins",
            "selected",
        ]
    ].reset_index(drop=True)


def _summary(cv: pd.DataFrame, selected: pd.Series, candidates: Sequence[str]) -> dict[str, float]:
    """Lag-1 backtest WAPE of the selected models and of every candidate (pooled)."""
    lag1 = cv[cv["horizon"] == 1]
    actual = lag1["y"].sum()
    chosen = lag1["unique_id"].map(selected)
    pred = np.zeros(len(lag1))
    for m in chosen.unique():
        mask = (chosen == m).to_numpy()
        pred[mask] = lag1.loc[mask, m].to_numpy()
    out = {f"{LAG1_WAPE}selected": float(np.abs(pred - lag1["y"]).sum() / actual)}
    for m in candidates:
        out[f"{LAG1_WAPE}{m}"] = float(np.abs(lag1[m] - lag1["y"]).sum() / actual)
    return out
