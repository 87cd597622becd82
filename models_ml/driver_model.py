"""Driver-aware candidate: one LightGBM model pooled across all series.

A global recursive reduction: each series is scaled by its recent mean demand,
and one gradient-boosted model learns next month's scaled demand from lags,
rolling means, the company's holiday calendar (:mod:`models_ml.calendars`), planned promotion depth (known ahead) and
the list price relative to the series' usual price. Forecasts roll forward one
month at a time, feeding predictions back as lags, for all series at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd

from models_ml.calendars import holiday_features
from models_ml.config import DEFAULT_HOLIDAY_CALENDAR
from models_ml.panel import SeriesPanel, month_index

LAGS = (1, 2, 3, 6, 12)
SERIES_FEATURES = (*[f"lag_{k}" for k in LAGS], "mean_3", "mean_12")
DRIVER_FEATURES = (
    "promo_depth",
    "promo_depth_prev",
    "log_price_ratio",
    "age",
    "log_scale",
    "product_line",
)


@dataclass(frozen=True)
class DriverInputs:
    """Drivers on the series x month grid from ``start_idx`` to ``end_idx``."""

    start_idx: int
    promo: np.ndarray
    log_price_ratio: np.ndarray
    calendar: pd.DataFrame
    line_code: np.ndarray
    first_col: np.ndarray

    @property
    def features(self) -> tuple[str, ...]:
        """The model's feature names: series history, the calendar's columns, the drivers."""
        return (*SERIES_FEATURES, *self.calendar.columns, *DRIVER_FEATURES)


def build_driver_inputs(
    series: SeriesPanel,
    drivers: pd.DataFrame | None,
    start_idx: int,
    end_idx: int,
    holiday_calendar: str = DEFAULT_HOLIDAY_CALENDAR,
) -> DriverInputs:
    """Align promo depth and list price (per sku x region x month) to every series.

    ``holiday_calendar`` names the calendar in :data:`models_ml.calendars.HOLIDAY_CALENDARS`
    whose monthly features the model sees.
    """
    keys = series.keys
    n, width = len(keys), end_idx - start_idx + 1
    promo = np.zeros((n, width))
    price = np.full((n, width), np.nan)
    if drivers is not None and len(drivers):
        d = drivers.copy()
        d["col"] = month_index(d["month"]) - start_idx
        d = d[(d["col"] >= 0) & (d["col"] < width)]
        d = d.merge(keys[["unique_id", "sku", "region"]], on=["sku", "region"])
        rows, cols = d["unique_id"].to_numpy(), d["col"].to_numpy()
        if "promo_depth" in d:
            promo[rows, cols] = d["promo_depth"].fillna(0.0).to_numpy(dtype=float)
        if "list_price" in d:
            price[rows, cols] = d["list_price"].to_numpy(dtype=float)
    price = pd.DataFrame(price).ffill(axis=1).bfill(axis=1).to_numpy()
    cycle_col = series.cycle_idx - start_idx
    with np.errstate(invalid="ignore", divide="ignore"):
        reference = (
            np.nanmedian(
                np.where(np.isnan(price[:, : cycle_col + 1]), np.nan, price[:, : cycle_col + 1]),
                axis=1,
            )
            if (not np.isnan(price).all())
            else np.full(n, np.nan)
        )
        ratio = np.log(price / reference[:, None])
    ratio = np.nan_to_num(ratio, nan=0.0, posinf=0.0, neginf=0.0)
    line_code = pd.factorize(keys["product_line"], sort=True)[0]
    return DriverInputs(
        start_idx=start_idx,
        promo=promo,
        log_price_ratio=ratio,
        calendar=holiday_features(np.arange(start_idx, end_idx + 1), holiday_calendar),
        line_code=line_code,
        first_col=keys["first_idx"].to_numpy() - start_idx,
    )


def _shift(z: np.ndarray, k: int) -> np.ndarray:
    out = np.full_like(z, np.nan)
    out[:, k:] = z[:, :-k]
    return out


def _feature_matrices(
    z: np.ndarray, inputs: DriverInputs, scale: np.ndarray
) -> dict[str, np.ndarray]:
    """Every feature as a series x month matrix over the columns of ``z``."""
    width = z.shape[1]
    lagged = {k: _shift(z, k) for k in LAGS}
    stack3 = np.stack([lagged[k] for k in (1, 2, 3)])
    stack12 = np.stack([_shift(z, k) for k in range(1, 13)])
    with np.errstate(invalid="ignore"), np.testing.suppress_warnings() as sup:
        sup.filter(RuntimeWarning)
        mean_3, mean_12 = np.nanmean(stack3, axis=0), np.nanmean(stack12, axis=0)
    cal = inputs.calendar.iloc[:width]
    n = z.shape[0]
    feats = {f"lag_{k}": lagged[k] for k in LAGS}
    feats.update(mean_3=mean_3, mean_12=mean_12)
    for col in cal.columns:
        feats[col] = np.broadcast_to(cal[col].to_numpy(dtype=float), (n, width))
    feats["promo_depth"] = inputs.promo[:, :width]
    feats["promo_depth_prev"] = _shift(inputs.promo[:, :width], 1)
    feats["log_price_ratio"] = inputs.log_price_ratio[:, :width]
    feats["age"] = np.clip(np.arange(width)[None, :] - inputs.first_col[:, None], 0, 60)
    feats["log_scale"] = np.broadcast_to(np.log1p(scale)[:, None], (n, width))
    feats["product_line"] = np.broadcast_to(inputs.line_code[:, None].astype(float), (n, width))
    return feats


def series_scale(y_wide: np.ndarray, origin_col: int, window: int = 12) -> np.ndarray:
    """Mean demand over the last ``window`` months up to the origin (fallbacks to 1)."""
    recent = y_wide[:, max(0, origin_col - window + 1) : origin_col + 1]
    with np.errstate(invalid="ignore"), np.testing.suppress_warnings() as sup:
        sup.filter(RuntimeWarning)
        recent_mean: np.ndarray = np.nanmean(recent, axis=1)
        overall: np.ndarray = np.nanmean(y_wide[:, : origin_col + 1], axis=1)
    scale = np.where(np.isfinite(recent_mean) & (recent_mean > 0), recent_mean, overall)
    out: np.ndarray = np.where(np.isfinite(scale) & (scale > 0), scale, 1.0)
    return out


def fit_predict_driver_model(
    y_wide: np.ndarray,
    inputs: DriverInputs,
    origin_col: int,
    h: int,
    params: dict[str, Any],
    seed: int = 0,
    n_jobs: int = 1,
) -> np.ndarray:
    """Train on columns <= ``origin_col`` and forecast the next ``h`` months (series x h).

    Series starting after the origin get NaN.
    """
    n = y_wide.shape[0]
    scale = series_scale(y_wide, origin_col)
    z = np.full((n, origin_col + 1 + h), np.nan)
    z[:, : origin_col + 1] = y_wide[:, : origin_col + 1] / scale[:, None]
    feats = _feature_matrices(z[:, : origin_col + 1], inputs, scale)
    cols = np.arange(origin_col + 1)[None, :]
    train = (cols > inputs.first_col[:, None]) & ~np.isnan(z[:, : origin_col + 1])
    features = list(inputs.features)
    x_train = np.column_stack([feats[f][train] for f in features])
    model = lgb.LGBMRegressor(
        random_state=seed,
        n_jobs=n_jobs,
        deterministic=True,
        force_row_wise=True,
        verbose=-1,
        **params,
    )
    model.fit(
        x_train,
        z[:, : origin_col + 1][train],
        feature_name=features,
        categorical_feature=["product_line"],
    )
    active = inputs.first_col <= origin_col
    # The booster itself: the sklearn wrapper warns that the arrays have no column names.
    booster = model.booster_
    for step in range(1, h + 1):
        col = origin_col + step
        feats = _feature_matrices(z[:, : col + 1], inputs, scale)
        x_step = np.column_stack([feats[f][:, col] for f in features])
        z[:, col] = np.where(active, np.clip(booster.predict(x_step), 0.0, None), np.nan)
    forecast: np.ndarray = z[:, origin_col + 1 :] * scale[:, None]
    return forecast
