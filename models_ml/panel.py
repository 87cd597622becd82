"""The demand panel: from tidy rows to one zero-filled series per sku x region x channel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

SERIES_KEYS = ["sku", "region", "channel"]
PANEL_COLUMNS = ["sku", "product_line", "region", "channel", "month", "demand_units"]

# A month as callers give one: "2024-03-01", a date, a Timestamp or a numpy datetime64.
MonthLike = str | date | np.datetime64


def month_index(months: MonthLike | pd.Series | pd.Index) -> np.ndarray:
    """Months as integers counted from 0000-01 (so consecutive months differ by 1)."""
    dt = pd.DatetimeIndex(pd.to_datetime(np.atleast_1d(np.asarray(months))))
    return (dt.year * 12 + dt.month - 1).to_numpy(dtype=np.int64)


def index_to_month(idx: ArrayLike) -> pd.DatetimeIndex:
    """Inverse of :func:`month_index`: first-of-month timestamps."""
    months = np.asarray(idx, dtype=np.int64)
    return pd.DatetimeIndex(
        pd.to_datetime({"year": months // 12, "month": months % 12 + 1, "day": 1})
    )


@dataclass(frozen=True)
class SeriesPanel:
    """Bottom-level series of one cycle.

    keys : one row per series: unique_id (0..n-1), sku, product_line, region,
        channel, first_idx (month index of first demand), n_months.
    long : statsforecast long format: unique_id, ds (month index), y; zero-filled
        from each series' first demand to the cycle month.
    cycle_idx : month index of the cycle month.
    """

    keys: pd.DataFrame
    long: pd.DataFrame
    cycle_idx: int


def build_series_panel(panel: pd.DataFrame, cycle_month: MonthLike) -> SeriesPanel:
    """Cut the panel at the cycle month and zero-fill each series after its first demand.

    Rows after ``cycle_month`` are dropped here even if the caller already did,
    so a cycle never sees the future. Series without any positive demand up to
    the cycle month are left out (nothing to forecast from).
    """
    missing = set(PANEL_COLUMNS) - set(panel.columns)
    if missing:
        raise ValueError(f"demand panel lacks columns {sorted(missing)}")
    cycle_idx = int(month_index(cycle_month)[0])
    df = panel[PANEL_COLUMNS].copy()
    df["ds"] = month_index(df["month"])
    df = df[(df["ds"] <= cycle_idx) & df["demand_units"].notna()]
    df = df.groupby([*SERIES_KEYS, "ds"], as_index=False, sort=True).agg(
        product_line=("product_line", "last"), y=("demand_units", "sum")
    )
    positive = df[df["y"] > 0]
    keys = positive.groupby(SERIES_KEYS, as_index=False, sort=True).agg(
        product_line=("product_line", "last"), first_idx=("ds", "min")
    )
    keys["n_months"] = cycle_idx - keys["first_idx"] + 1
    keys.insert(0, "unique_id", np.arange(len(keys), dtype=np.int64))
    keys = keys[["unique_id", "sku", "product_line", "region", "channel", "first_idx", "n_months"]]

    lengths = keys["n_months"].to_numpy()
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    uid = np.repeat(keys["unique_id"].to_numpy(), lengths)
    ds = np.repeat(keys["first_idx"].to_numpy(), lengths) + (
        np.arange(lengths.sum()) - np.repeat(offsets, lengths)
    )
    y = np.zeros(len(uid))
    obs = df.merge(keys[[*SERIES_KEYS, "unique_id", "first_idx"]], on=SERIES_KEYS)
    obs = obs[obs["ds"] >= obs["first_idx"]]
    pos = offsets[obs["unique_id"].to_numpy()] + (obs["ds"] - obs["first_idx"]).to_numpy()
    y[pos] = np.clip(obs["y"].to_numpy(dtype=float), 0.0, None)
    long = pd.DataFrame({"unique_id": uid, "ds": ds, "y": y})
    return SeriesPanel(keys=keys, long=long, cycle_idx=cycle_idx)


def to_wide(long: pd.DataFrame, n_series: int, start_idx: int, end_idx: int) -> np.ndarray:
    """Series x month matrix over [start_idx, end_idx]; NaN before a series starts."""
    wide = np.full((n_series, end_idx - start_idx + 1), np.nan)
    wide[long["unique_id"].to_numpy(), long["ds"].to_numpy() - start_idx] = long["y"].to_numpy()
    return wide
