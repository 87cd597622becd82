"""P10/P90 by split-conformal calibration on backtest errors.

Errors of the selected model are scaled by each series' recent mean demand at
the backtest origin, pooled by demand class and horizon, and their empirical
quantiles become the interval offsets. Horizons beyond the backtest grow with
the square root of the horizon. Coverage is measured honestly by
cross-conformal: each origin is scored with quantiles from the other origins.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

MIN_POOL = 20


def scaled_errors(
    cv: pd.DataFrame, selected: pd.Series, scale_by_cutoff: pd.Series, demand_class: pd.Series
) -> pd.DataFrame:
    """Signed errors (actual - forecast) of the selected model, scaled, per fold row.

    ``scale_by_cutoff`` is indexed by (unique_id, cutoff); ``demand_class`` by unique_id.
    """
    model = cv["unique_id"].map(selected)
    keep = model.notna().to_numpy()
    cv, model = cv[keep], model[keep]
    pred = np.empty(len(cv))
    for name in model.unique():
        mask = (model == name).to_numpy()
        pred[mask] = cv.loc[mask, name].to_numpy()
    key = pd.MultiIndex.from_frame(cv[["unique_id", "cutoff"]])
    scale = scale_by_cutoff.reindex(key).to_numpy()
    return pd.DataFrame(
        {
            "unique_id": cv["unique_id"].to_numpy(),
            "cutoff": cv["cutoff"].to_numpy(),
            "horizon": cv["horizon"].to_numpy(),
            "demand_class": cv["unique_id"].map(demand_class).to_numpy(),
            "actual": cv["y"].to_numpy(),
            "forecast": pred,
            "scale": scale,
            "error": (cv["y"].to_numpy() - pred) / scale,
        }
    )


def conformal_quantiles(errors: pd.DataFrame, quantiles: tuple[float, float]) -> pd.DataFrame:
    """Lower/upper scaled-error quantile per (demand_class, horizon), plus class "all"."""
    lo, hi = quantiles
    pooled = errors.assign(demand_class="all")
    both = pd.concat([errors, pooled], ignore_index=True)
    grouped = both.groupby(["demand_class", "horizon"])["error"]
    table = grouped.quantile(lo).rename("q_lo").to_frame()
    table["q_hi"] = grouped.quantile(hi)
    table["n"] = grouped.size()
    table = table.reset_index().sort_values(["demand_class", "horizon"])
    # uncertainty cannot shrink with the horizon: widen to the running extremes
    by_class = table.groupby("demand_class")
    table["q_lo"] = by_class["q_lo"].cummin()
    table["q_hi"] = by_class["q_hi"].cummax()
    return table.reset_index(drop=True)


def interval_offsets(
    table: pd.DataFrame, demand_class: ArrayLike, lag: ArrayLike, backtest_horizon: int
) -> tuple[np.ndarray, np.ndarray]:
    """Offsets (q_lo, q_hi) for each (class, lag); sqrt growth beyond the backtest."""
    classes = np.asarray(demand_class, dtype=object)
    lags = np.asarray(lag)
    base_h = np.minimum(lags, backtest_horizon)
    grow = np.sqrt(np.maximum(lags, backtest_horizon) / backtest_horizon)
    usable = table[table["n"] >= MIN_POOL].set_index(["demand_class", "horizon"])
    pooled = table[table["demand_class"] == "all"].set_index("horizon")
    key = pd.MultiIndex.from_arrays([classes, base_h])
    q = usable.reindex(key)[["q_lo", "q_hi"]].to_numpy()
    fallback = pooled.reindex(base_h)[["q_lo", "q_hi"]].to_numpy()
    q = np.where(np.isnan(q), fallback, q)
    q = np.nan_to_num(q, nan=0.0)
    return q[:, 0] * grow, q[:, 1] * grow


def apply_intervals(
    p50: ArrayLike, scale: ArrayLike, q_lo: ArrayLike, q_hi: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P10 and P90 around P50: non-negative and ordered P10 <= P50 <= P90."""
    mid = np.clip(np.asarray(p50, dtype=float), 0.0, None)
    lo_offset = np.asarray(q_lo) * np.asarray(scale)
    hi_offset = np.asarray(q_hi) * np.asarray(scale)
    p10 = np.clip(mid + lo_offset, 0.0, None)
    p90 = np.clip(mid + hi_offset, 0.0, None)
    return np.minimum(p10, mid), mid, np.maximum(p90, mid)


def cross_conformal_coverage(
    errors: pd.DataFrame, quantiles: tuple[float, float], backtest_horizon: int
) -> dict[str, Any]:
    """Coverage of the P10-P90 band on each origin, calibrated on the other origins."""
    hits, total = 0, 0
    by_class: dict[str, list[int]] = {}
    for cutoff in np.unique(errors["cutoff"]):
        calib = errors[errors["cutoff"] != cutoff]
        test = errors[errors["cutoff"] == cutoff]
        if calib.empty or test.empty:
            continue
        table = conformal_quantiles(calib, quantiles)
        q_lo, q_hi = interval_offsets(
            table, test["demand_class"], test["horizon"], backtest_horizon
        )
        scale = test["scale"].to_numpy()
        p10, _, p90 = apply_intervals(test["forecast"], scale, q_lo, q_hi)
        actual = test["actual"].to_numpy()
        inside = (actual >= p10 - 1e-9) & (actual <= p90 + 1e-9)
        hits += int(inside.sum())
        total += len(inside)
        for cls, ok in zip(test["demand_class"], inside, strict=True):
            by_class.setdefault(cls, [0, 0])
            by_class[cls][0] += int(ok)
            by_class[cls][1] += 1
    return {
        "nominal": quantiles[1] - quantiles[0],
        "coverage": hits / total if total else float("nan"),
        "n": total,
        "by_class": {k: v[0] / v[1] for k, v in sorted(by_class.items())},
    }
