"""Demand classification: Syntetos-Boylan quadrants plus new and discontinued items."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from models_ml.config import CycleConfig
from models_ml.panel import MonthLike, SeriesPanel, month_index

DEMAND_CLASSES = ("smooth", "erratic", "intermittent", "lumpy", "new", "discontinued")


def syntetos_boylan_class(
    adi: ArrayLike, cv2: ArrayLike, adi_cutoff: float = 1.32, cv2_cutoff: float = 0.49
) -> np.ndarray:
    """Quadrant of each (ADI, CV²) pair: smooth, erratic, intermittent or lumpy."""
    frequent = np.asarray(adi, dtype=float) < adi_cutoff
    stable = np.asarray(cv2, dtype=float) < cv2_cutoff
    return np.select(
        [frequent & stable, frequent & ~stable, ~frequent & stable],
        ["smooth", "erratic", "intermittent"],
        default="lumpy",
    )


def demand_statistics(y: np.ndarray) -> tuple[float, float]:
    """ADI (periods per non-zero demand) and CV² of the non-zero demand sizes."""
    y = np.asarray(y, dtype=float)
    nonzero = y[y > 0]
    if len(nonzero) == 0:
        return np.inf, 0.0
    adi = len(y) / len(nonzero)
    cv2 = float((nonzero.std() / nonzero.mean()) ** 2) if len(nonzero) > 1 else 0.0
    return adi, cv2


def known_at(products: pd.DataFrame | None, cycle_month: MonthLike) -> pd.DataFrame | None:
    """The product attributes a cycle as of ``cycle_month`` may use.

    The product master is a snapshot of today: a backfilled cycle would otherwise see
    discontinuations decided after it, and reproduce no forecast made then. A
    discontinue date counts once it has passed by the end of the cycle month (any
    past snapshot showed it), or when the row says since when it was known
    (optional column ``known_from``, e.g. the date of the snapshot that first carried
    it) and that is by the end of the cycle month; else it is unknown to the cycle.
    """
    if products is None or "discontinue_date" not in products:
        return products
    end = pd.Timestamp(cycle_month).to_period("M").to_timestamp(how="end")
    dates = pd.to_datetime(products["discontinue_date"])
    known = dates <= end
    if "known_from" in products:
        known |= pd.to_datetime(products["known_from"]) <= end
    return products.assign(discontinue_date=dates.where(known))


def discontinued_after(keys: pd.DataFrame, products: pd.DataFrame | None) -> np.ndarray:
    """Month index after which each series must forecast zero (large if active)."""
    never = np.iinfo(np.int64).max // 2
    if products is None or "discontinue_date" not in products:
        return np.full(len(keys), never)
    dates = keys[["sku"]].merge(
        products[["sku", "discontinue_date"]].drop_duplicates("sku"), on="sku", how="left"
    )["discontinue_date"]
    dates = pd.to_datetime(dates)
    out = np.full(len(keys), never)
    known = dates.notna().to_numpy()
    # a month is still sold if it starts on or before the discontinue date
    out[known] = month_index(dates[known])
    return out


def classify_demand(
    series: SeriesPanel, products: pd.DataFrame | None, config: CycleConfig
) -> pd.DataFrame:
    """One row per series: unique_id, n_months, adi, cv2, demand_class, last_sold_idx.

    ADI and CV² use the trailing ``classification_window`` months. Short
    histories (< ``min_history`` months) are "new"; a series whose sku was
    discontinued on or before the cycle month is "discontinued".
    """
    long = series.long
    window_start = series.cycle_idx - config.classification_window + 1
    recent = long[long["ds"] >= window_start]
    nonzero = recent[recent["y"] > 0]
    n_periods = recent.groupby("unique_id")["y"].size()
    stats = nonzero.groupby("unique_id")["y"].agg(["size", "mean", "std"])
    stats = stats.reindex(series.keys["unique_id"])
    n_nonzero = stats["size"].fillna(0).to_numpy()
    periods = n_periods.reindex(series.keys["unique_id"]).fillna(0).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        adi = np.where(n_nonzero > 0, periods / np.maximum(n_nonzero, 1), np.inf)
        std0 = stats["std"].fillna(0).to_numpy() * np.sqrt(
            np.maximum(n_nonzero - 1, 0) / np.maximum(n_nonzero, 1)
        )
        cv2 = np.where(n_nonzero > 1, (std0 / stats["mean"].to_numpy()) ** 2, 0.0)
    demand_class = syntetos_boylan_class(adi, cv2, config.adi_cutoff, config.cv2_cutoff).astype(
        object
    )
    n_months = series.keys["n_months"].to_numpy()
    demand_class[n_months < config.min_history] = "new"
    last_sold = discontinued_after(series.keys, products)
    demand_class[last_sold <= series.cycle_idx] = "discontinued"
    return pd.DataFrame(
        {
            "unique_id": series.keys["unique_id"].to_numpy(),
            "n_months": n_months,
            "adi": adi,
            "cv2": cv2,
            "demand_class": demand_class,
            "last_sold_idx": last_sold,
        }
    )
