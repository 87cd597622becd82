"""Rolling-origin backtests, per-series scores and model selection."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from models_ml.config import CycleConfig
from models_ml.driver_model import DriverInputs, fit_predict_driver_model, series_scale
from models_ml.panel_forecaster import StatsForecastPanel

DRIVER_MODEL = "LightGBM"
ENSEMBLE = "Ensemble"


def as_sktime_panel(long: pd.DataFrame) -> pd.DataFrame:
    """Long (unique_id, ds, y) as sktime's pd-multiindex frame (integer months)."""
    index = pd.MultiIndex.from_arrays(
        [long["unique_id"].to_numpy(), long["ds"].to_numpy()], names=["unique_id", "ds"]
    )
    return pd.DataFrame({"y": long["y"].to_numpy(dtype=float)}, index=index)


def statistical_backtest(long: pd.DataFrame, config: CycleConfig) -> pd.DataFrame:
    """Cross-validate every statsforecast candidate through the panel forecaster."""
    forecaster = StatsForecastPanel(config.models, config.season_length, config.n_jobs)
    cv = forecaster.backtest(
        as_sktime_panel(long),
        config.backtest_horizon,
        config.backtest_windows,
        config.backtest_step,
        refit=config.backtest_refit,
    )
    cv["unique_id"] = cv["unique_id"].astype(np.int64)
    return cv


def driver_backtest(
    y_wide: np.ndarray, inputs: DriverInputs, eligible: np.ndarray, config: CycleConfig
) -> pd.DataFrame:
    """Backtest the LightGBM candidate on the same origins as statsforecast."""
    cycle_col = y_wide.shape[1] - 1
    frames = []
    for w in range(config.backtest_windows):
        origin = cycle_col - config.backtest_span + w * config.backtest_step
        pred = fit_predict_driver_model(
            y_wide,
            inputs,
            origin,
            config.backtest_horizon,
            config.lgbm_params,
            config.seed,
            config.lgbm_threads,
        )
        rows = np.flatnonzero(eligible)
        h = config.backtest_horizon
        frames.append(
            pd.DataFrame(
                {
                    "unique_id": np.repeat(rows, h),
                    "ds": np.tile(np.arange(origin + 1, origin + 1 + h), len(rows))
                    + inputs.start_idx,
                    DRIVER_MODEL: pred[rows].ravel(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def add_candidates(
    cv: pd.DataFrame, driver_cv: pd.DataFrame | None, config: CycleConfig
) -> tuple[pd.DataFrame, list[str]]:
    """Join the driver model and the ensemble onto the backtest frame; list candidates."""
    candidates = list(config.models)
    if driver_cv is not None:
        cv = cv.merge(driver_cv, on=["unique_id", "ds"], how="left")
        candidates.append(DRIVER_MODEL)
    members = [m for m in config.ensemble_members if m in candidates]
    if config.use_ensemble and len(members) >= 2:
        cv[ENSEMBLE] = cv[members].mean(axis=1)
        candidates.append(ENSEMBLE)
    cv["horizon"] = (cv["ds"] - cv["cutoff"]).astype(int)
    return cv, candidates


def mase_scale(y_wide: np.ndarray, first_col: int, season_length: int) -> np.ndarray:
    """In-sample MAE of the seasonal naive (naive if too short) before the first origin."""
    n = y_wide.shape[0]
    out = np.ones(n)
    hist = y_wide[:, : first_col + 1]
    for lag in (season_length, 1):
        diff = np.abs(hist[:, lag:] - hist[:, :-lag])
        with np.errstate(invalid="ignore"), np.testing.suppress_warnings() as sup:
            sup.filter(RuntimeWarning)
            mae = np.nanmean(diff, axis=1)
        fill = np.isfinite(mae) & (mae > 0) & (out == 1)
        out[fill] = mae[fill]
    return out


def score_backtests(
    cv: pd.DataFrame,
    candidates: Sequence[str],
    y_wide: np.ndarray,
    start_idx: int,
    config: CycleConfig,
) -> pd.DataFrame:
    """Per series x model: WAPE, MASE, lag-1 WAPE parts and the number of origins."""
    first_origin = int(cv["cutoff"].min()) - start_idx
    scale = mase_scale(y_wide, first_origin, config.season_length)
    actual = cv["y"].to_numpy()
    total = cv.groupby("unique_id")["y"].sum()
    origins = cv.groupby("unique_id")["cutoff"].nunique()
    rows = []
    for model in candidates:
        err = np.abs(cv[model].to_numpy() - actual)
        frame = pd.DataFrame({"unique_id": cv["unique_id"], "abs_error": err})
        agg = frame.groupby("unique_id")["abs_error"].agg(["sum", "mean"])
        uid = agg.index.to_numpy()
        rows.append(
            pd.DataFrame(
                {
                    "unique_id": uid,
                    "model": model,
                    "abs_error": agg["sum"].to_numpy(),
                    "actual": total.reindex(uid).to_numpy(),
                    "wape": agg["sum"].to_numpy()
                    / np.where(total.reindex(uid) > 0, total.reindex(uid), np.nan),
                    "mase": agg["mean"].to_numpy() / scale[uid],
                    "n_origins": origins.reindex(uid).to_numpy(),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def select_models(scores: pd.DataFrame, candidates: Sequence[str]) -> pd.Series:
    """Best candidate per series: lowest WAPE (= lowest absolute error), ties by order."""
    order = {m: i for i, m in enumerate(candidates)}
    ranked = scores.assign(_order=scores["model"].map(order)).sort_values(
        ["unique_id", "abs_error", "mase", "_order"], kind="stable"
    )
    return ranked.drop_duplicates("unique_id").set_index("unique_id")["model"]


def fallback_model(demand_class: str, config: CycleConfig) -> str:
    """Model for series without a full backtest: by demand class."""
    if demand_class == "new":
        return config.new_item_model
    if demand_class in ("intermittent", "lumpy"):
        return config.intermittent_fallback
    return config.smooth_fallback


def scale_at(y_wide: np.ndarray, origin_col: int) -> np.ndarray:
    """Error scale per series at an origin (recent mean demand)."""
    return series_scale(y_wide, origin_col)
