"""Forecast where the signal is: product line x region nodes, spread to series by shares.

Sparse, young and intermittent sku x region x channel series carry little signal
of their own; summed to product line x region they are regular and seasonal. The
node series (every bottom series, discontinued ones included, so the node's
history holds the company's launch and run-off churn) are backtested over many
rolling origins (for the intervals and the level choice of
:mod:`models_ml.level_select`), forecast by a combination of candidates
(``CycleConfig.node_selection``), and the node forecast is spread over its live series by their share of the node's recent
demand (a young series' share over its own months). A series whose SKU is
discontinued gets nothing from its discontinue date on; its share goes to the
node's live series (``CycleConfig.hand_over_discontinued``), because the node's
history already shows launches replacing run-offs: taking known run-offs out
while launches are unknown biased the realistic setting's nodes 17% low.

The node backtest also calibrates the intervals (:mod:`models_ml.level_intervals`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from models_ml import growth_naive
from models_ml.candidates import cross_validate_long, forecast_long
from models_ml.config import CycleConfig

NODE_KEYS = ["product_line", "region"]
NODE_ENSEMBLE = "Ensemble"


@dataclass(frozen=True)
class NodePanel:
    """Product line x region nodes of a cycle.

    node_of : node index of every bottom series.
    keys : one row per node: product_line, region.
    y : nodes x months (the bottom panel's columns), summed demand, zeros before.
    """

    node_of: np.ndarray
    keys: pd.DataFrame
    y: np.ndarray


BACKTEST_COLUMNS = ("unique_id", "cutoff", "horizon", "y", "forecast")


def empty_backtest() -> pd.DataFrame:
    """A backtest frame without rows but with numeric columns (an object-typed empty frame
    would turn every later concat or quantile of ``y`` and ``forecast`` into objects)."""
    return pd.DataFrame(
        {
            "unique_id": pd.Series(dtype="int64"),
            "cutoff": pd.Series(dtype="int64"),
            "horizon": pd.Series(dtype="int64"),
            "y": pd.Series(dtype=float),
            "forecast": pd.Series(dtype=float),
        }
    )


def node_panel(series_keys: pd.DataFrame, y_wide: np.ndarray) -> NodePanel:
    """Sum the bottom series (series x months, NaN before a series starts) to nodes."""
    codes, uniques = pd.MultiIndex.from_frame(series_keys[NODE_KEYS]).factorize()
    keys = pd.DataFrame(list(uniques), columns=NODE_KEYS)
    y = np.zeros((len(keys), y_wide.shape[1]))
    np.add.at(y, codes, np.nan_to_num(y_wide, nan=0.0))
    return NodePanel(codes.astype(np.int64), keys, y)


def _node_long(y: np.ndarray) -> pd.DataFrame:
    """Long frame of the node series from each node's first demand (ds = column)."""
    started = np.cumsum(y > 0, axis=1) > 0
    rows, cols = np.nonzero(started)
    return pd.DataFrame(
        {"unique_id": rows.astype(np.int64), "ds": cols.astype(np.int64), "y": y[rows, cols]}
    )


def shares(
    y_wide: np.ndarray, node_y: np.ndarray, node_of: np.ndarray, col: int, window: int
) -> np.ndarray:
    """Each series' share of its node over the trailing window up to ``col``, normalised.

    A series younger than the window is measured over its own months only, so a
    launch is not diluted by the months before it existed.
    """
    lo = max(col - window + 1, 0)
    own = y_wide[:, lo : col + 1]
    seen = ~np.isnan(own)
    num = np.nansum(own, axis=1)
    den = (node_y[node_of, lo : col + 1] * seen).sum(axis=1)
    raw = np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)
    total = np.zeros(node_y.shape[0])
    np.add.at(total, node_of, raw)
    return np.where(
        total[node_of] > 0, raw / np.where(total[node_of] > 0, total[node_of], 1.0), 0.0
    )


@dataclass(frozen=True)
class NodeForecast:
    """Node forecasts of one cycle and their rolling-origin backtest.

    forecast : nodes x horizon, the selected model's forecast.
    model : selected model per node.
    cv : backtest of the selected models: unique_id (node), cutoff, horizon, y, forecast
        (columns are the bottom panel's column positions).
    """

    forecast: np.ndarray
    model: np.ndarray
    cv: pd.DataFrame


def forecast_nodes(
    nodes: NodePanel, cycle_col: int, config: CycleConfig, h_cv: int = 6, n_windows: int = 12
) -> NodeForecast:
    """Backtest every candidate on the nodes, select per node on lags 1..h_cv, forecast."""
    return forecast_series(nodes.y, cycle_col, config, h_cv, n_windows)


def forecast_series(
    y: np.ndarray, cycle_col: int, config: CycleConfig, h_cv: int = 6, n_windows: int = 12
) -> NodeForecast:
    """Backtest, select and forecast any matrix of aggregate series (rows x months)."""
    long = _node_long(y[:, : cycle_col + 1])
    names = list(config.models)
    members = [m for m in config.ensemble_members if m in names]
    length = long.groupby("unique_id").size()
    windows = int(min(n_windows, length.max() - h_cv - config.season_length))
    cv_ok = length[length >= h_cv + windows + config.season_length].index
    n = y.shape[0]
    history = y[:, : cycle_col + 1]
    first_col = np.where((history > 0).any(axis=1), (history > 0).argmax(axis=1), cycle_col + 1)
    fc = forecast_long(long, names, config.season_length, config.horizon, config.n_jobs)
    per_model = {m: fc[m].to_numpy().reshape(-1, config.horizon) for m in names}
    fc_ids = fc["unique_id"].to_numpy().reshape(-1, config.horizon)[:, 0]
    per_model[growth_naive.NAME] = growth_naive.forecast(
        history, first_col, cycle_col, config.horizon, config.season_length
    )[fc_ids]
    members = [*members, growth_naive.NAME]
    per_model[NODE_ENSEMBLE] = np.mean([per_model[m] for m in members], axis=0)
    candidates = list(per_model)
    model = np.full(n, config.smooth_fallback, dtype=object)
    cv = empty_backtest()
    if windows >= 2 and len(cv_ok):
        raw = cross_validate_long(
            long[long["unique_id"].isin(cv_ok)],
            names,
            config.season_length,
            h_cv,
            windows,
            1,
            config.n_jobs,
            refit=config.backtest_refit,
        )
        raw[growth_naive.NAME] = growth_naive.backtest(
            history, first_col, raw["unique_id"], raw["cutoff"], raw["ds"], config.season_length
        )
        raw[NODE_ENSEMBLE] = raw[members].mean(axis=1)
        err = pd.DataFrame({m: np.abs(raw[m] - raw["y"]) for m in candidates})
        err["unique_id"] = raw["unique_id"].to_numpy()
        total = err.groupby("unique_id")[candidates].sum()
        if config.node_selection == "level":  # one model for the level: less selection noise
            total[:] = total.sum().to_numpy()[None, :]
        if config.node_selection == "ensemble":
            best = np.full(len(total), candidates.index(NODE_ENSEMBLE))
        else:
            best = total.to_numpy().argmin(axis=1)
        model[total.index.to_numpy()] = np.asarray(candidates, dtype=object)[best]
        chosen = raw["unique_id"].map(pd.Series(model)).to_numpy()
        pick = np.zeros(len(raw))
        for m in candidates:
            rows = chosen == m
            pick[rows] = raw.loc[rows, m].to_numpy()
        cv = pd.DataFrame(
            {
                "unique_id": raw["unique_id"].to_numpy(),
                "cutoff": raw["cutoff"].to_numpy(),
                "horizon": (raw["ds"] - raw["cutoff"]).to_numpy(),
                "y": raw["y"].to_numpy(),
                "forecast": np.clip(pick, 0.0, None),
            }
        )
    out = np.zeros((n, config.horizon))
    for m in candidates:
        rows = np.flatnonzero(model[fc_ids] == m)
        out[fc_ids[rows]] = per_model[m][rows]
    return NodeForecast(np.clip(np.nan_to_num(out, nan=0.0), 0.0, None), model, cv)


def spread(
    node_fc: np.ndarray,
    nodes: NodePanel,
    weight: np.ndarray,
    alive: np.ndarray,
    hand_over: bool = True,
) -> np.ndarray:
    """Bottom forecasts (series x horizon): node forecast x share, zero when not sold.

    ``hand_over``: a discontinued series' share goes to the node's live series (the
    node's history already carries launches replacing run-offs, so its level holds);
    otherwise it leaves the node's forecast.
    """
    w = weight[:, None] * alive
    if hand_over:
        total = np.zeros((node_fc.shape[0], w.shape[1]))
        np.add.at(total, nodes.node_of, w)
        den = total[nodes.node_of]
        w = np.where(den > 0, w / np.where(den > 0, den, 1.0), 0.0)
    out: np.ndarray = node_fc[nodes.node_of] * w
    return out


def bottom_backtest(
    y_wide: np.ndarray,
    nodes: NodePanel,
    node_cv: pd.DataFrame,
    first_col: np.ndarray,
    last_col: np.ndarray,
    window: int,
) -> pd.DataFrame:
    """The spread forecast's backtest at the bottom: node backtest x shares at each origin.

    Rows: series that had started by the origin, at each horizon of the node backtest.
    It is series x origins x horizons rows, the largest frame of a cycle, so each origin
    reads only its live series' target months and the columns are joined once.
    """
    columns: dict[str, list[np.ndarray]] = {c: [] for c in BACKTEST_COLUMNS}
    for cutoff, part in node_cv.groupby("cutoff"):
        c = int(cutoff)  # type: ignore[arg-type]  # pandas-stubs: a group key is any Scalar
        w = shares(y_wide, nodes.y, nodes.node_of, c, window)
        grid = np.full((nodes.y.shape[0], int(part["horizon"].max())), np.nan)
        grid[part["unique_id"].to_numpy(), part["horizon"].to_numpy() - 1] = part["forecast"]
        live = np.flatnonzero((first_col <= c) & (last_col > c))
        hs = np.arange(1, grid.shape[1] + 1)
        target = c + hs
        f = grid[nodes.node_of[live]] * w[live, None]
        inside = target[None, :] < y_wide.shape[1]
        alive = target[None, :] <= last_col[live, None]
        months = y_wide[np.ix_(live, np.minimum(target, y_wide.shape[1] - 1))]
        actual = np.where(inside, np.nan_to_num(months, nan=0.0), np.nan)
        keep = inside & ~np.isnan(f)
        rows, cols = np.nonzero(keep)
        columns["unique_id"].append(live[rows].astype(np.int32))  # narrow: series x origins
        columns["cutoff"].append(np.full(len(rows), c, dtype=np.int32))  # x horizons rows
        columns["horizon"].append(hs[cols].astype(np.int8))
        columns["y"].append(actual[rows, cols])
        columns["forecast"].append(np.where(alive, f, 0.0)[rows, cols])
    if not columns["y"]:
        return empty_backtest()
    joined = {c: np.concatenate(columns.pop(c)) for c in BACKTEST_COLUMNS}  # pieces freed
    return pd.DataFrame(joined, copy=False)
