"""Seasonal naive with a year-on-year level correction, for dense aggregate series.

Same month last season, times the ratio of the last 12 months to the 12 before
(``g``, clipped to [0.5, 2]; ``g ** k`` for a month k seasons back). A company
whose catalogue churns keeps launching into its product lines, so last year's
month is too low by the year's growth: plain seasonal naive was 9% low at every
level of the realistic demo, and this correction alone cut the product line x
region WAPE of lags 1..6 from 0.180 to 0.163 over six backfilled cycles. A series
with less than two seasons of history gets ``g = 1`` (plain seasonal naive).
statsforecast has no such model (``SeasonalNaive`` has no drift, ``RandomWalkWithDrift``
no season), so it is a vectorised function used beside the statsforecast candidates
on the product line x region, product line and total series only.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

NAME = "SeasonalNaiveGrowth"
GROWTH_CLIP = (0.5, 2.0)


def growth(y: np.ndarray, first_col: np.ndarray, col: ArrayLike, season: int) -> np.ndarray:
    """Year-on-year ratio of each row at its column ``col`` (1 where under two seasons old).

    ``col``: one column for every row, or one per row.
    """
    cols = np.broadcast_to(np.asarray(col, dtype=np.int64), (y.shape[0],))
    csum = np.concatenate([np.zeros((y.shape[0], 1)), np.cumsum(y, axis=1)], axis=1)
    rows = np.arange(y.shape[0])
    at = [csum[rows, np.maximum(cols + 1 - k * season, 0)] for k in range(3)]
    recent, before = at[0] - at[1], at[1] - at[2]
    ok = (cols - 2 * season + 1 >= first_col) & (before > 0)
    ratio = np.where(ok, recent / np.where(ok, before, 1.0), 1.0)
    return np.clip(ratio, *GROWTH_CLIP)


def forecast(y: np.ndarray, first_col: np.ndarray, col: int, h: int, season: int) -> np.ndarray:
    """Rows x h forecasts made at column ``col`` (months after it)."""
    hs = np.arange(1, h + 1)
    back = np.ceil(hs / season).astype(int)
    source = np.clip(col + hs - season * back, 0, None)
    g = growth(y, first_col, col, season)
    out: np.ndarray = y[:, source] * g[:, None] ** back[None, :]
    return out


def backtest(
    y: np.ndarray,
    first_col: np.ndarray,
    unique_id: ArrayLike,
    cutoff: ArrayLike,
    ds: ArrayLike,
    season: int,
) -> np.ndarray:
    """The forecast of each backtest row (series, origin column, target column)."""
    uid, cut, target = (np.asarray(a).astype(np.int64) for a in (unique_id, cutoff, ds))
    back = np.ceil((target - cut) / season).astype(int)
    source = np.clip(target - season * back, 0, None)
    g = growth(y[uid], first_col[uid], cut, season)
    out: np.ndarray = y[uid, source] * g**back
    return out
