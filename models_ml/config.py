"""Settings of one planning cycle, in one frozen dataclass."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models_ml.calendars import check_calendar

DEFAULT_MODELS = ("SeasonalNaive", "AutoETS", "AutoTheta", "AutoARIMA", "TSB", "WindowAverage")
DEFAULT_HOLIDAY_CALENDAR = "chinese"


@dataclass(frozen=True)
class CycleConfig:
    """Hyperparameters of the monthly forecasting cycle.

    Parameters
    ----------
    horizon : months forecast after the cycle month (lags 1..horizon).
    season_length : months per seasonal cycle.
    models : statsforecast candidates by name (see ``candidates.MODEL_NAMES``).
    use_driver_model : add the global LightGBM candidate using promo/price/holidays.
    holiday_calendar : name of the calendar whose monthly events the driver model sees
        (``models_ml.calendars.HOLIDAY_CALENDARS``: "chinese" = Spring Festival, 618,
        Double 11; "none" = month of year only).
    use_ensemble : add the mean of ``ensemble_members`` as a candidate.
    backtest_horizon, backtest_windows, backtest_step : rolling-origin folds; the
        last origin is ``cycle_month - backtest_horizon``.
    backtest_refit : refit every model at every origin (True), or fit the models that
        can carry parameters forward (ETS, Theta, ARIMA) once at the first origin and
        reuse those parameters at the later origins (False; about 3x less backtest work;
        cheap models are refitted either way). The final forecast always refits.
    min_history : months of history below which a series is "new" and gets
        ``new_item_model`` instead of backtest selection.
    classification_window : trailing months used for ADI / CV².
    adi_cutoff, cv2_cutoff : Syntetos-Boylan cut-offs.
    quantiles : lower and upper quantile of the forecast interval.
    reconcile_method : "middle_out" (default): product line x region nodes forecast and
        backtested on their own, spread to the series by their recent shares
        (:mod:`models_ml.middle_out`), with P10/P90 calibrated per level
        (:mod:`models_ml.level_intervals`); or "bu", "ols", "wls_str" over
        total -> product line -> sku -> bottom with the series' own forecasts.
        "ols"/"wls_str" use AutoETS base forecasts of the aggregates, which see no
        drivers; on promo-driven demand they pulled the bottom level off, so the
        default is bottom-up.
    node_selection : middle-out: "ensemble" (default) forecasts every aggregate series
        (product line x region, product line, total) by the mean of ``ensemble_members``
        and the year-on-year corrected seasonal naive (:mod:`models_ml.growth_naive`);
        "level" picks one candidate for all the series of a level on their pooled
        backtest; "node" one per series. Per node, the choice among 8 candidates on 12
        origins of one series chased noise: over six realistic cycles its product line x
        region WAPE of lags 1..6 (0.189) was worse than any single candidate's, and the
        combination's was 0.154 (seasonal naive 0.180).
    interval_origins : the latest backtest origins that calibrate P10/P90 (middle-out).
    select_levels : middle-out only: each product line and the total is also forecast
        directly, and where that beats the sum of its nodes on the backtest the nodes
        are scaled to it (:mod:`models_ml.level_select`).
    share_window : trailing months of a series' share of its node (middle-out).
    hand_over_discontinued : a discontinued series' share of its node goes to the node's
        live series (True) or leaves the node's forecast (False).
    sktime_reconcile_max_nodes : up to this many hierarchy nodes sktime's own
        ``Reconciler`` is used; above it the equivalent sparse solver (its dense
        matrices grow with the square of the node count).
    n_jobs : processes for statsforecast.
    lgbm_threads : LightGBM threads; 1 by default, because OpenMP threads spin against
        statsforecast's processes and were 15-40x slower than one thread on 2 cores.
    seed : random seed (LightGBM).
    """

    horizon: int = 18
    season_length: int = 12
    models: tuple[str, ...] = DEFAULT_MODELS
    use_driver_model: bool = True
    holiday_calendar: str = DEFAULT_HOLIDAY_CALENDAR
    use_ensemble: bool = True
    ensemble_members: tuple[str, ...] = ("AutoETS", "AutoTheta", "AutoARIMA")
    backtest_horizon: int = 3
    backtest_windows: int = 3
    backtest_step: int = 3
    backtest_refit: bool = True
    min_history: int = 13
    new_item_model: str = "WindowAverage"
    intermittent_fallback: str = "TSB"
    smooth_fallback: str = "AutoETS"
    classification_window: int = 24
    adi_cutoff: float = 1.32
    cv2_cutoff: float = 0.49
    quantiles: tuple[float, float] = (0.1, 0.9)
    reconcile_method: str = "middle_out"
    node_selection: str = "ensemble"
    interval_origins: int = 6
    select_levels: bool = True
    share_window: int = 12
    hand_over_discontinued: bool = True
    sktime_reconcile_max_nodes: int = 400
    n_jobs: int = 2
    lgbm_threads: int = 1
    seed: int = 0
    lgbm_params: dict[str, Any] = field(
        default_factory=lambda: {
            "n_estimators": 150,
            "learning_rate": 0.05,
            "num_leaves": 31,
            "min_child_samples": 20,
            "subsample": 1.0,
        }
    )

    def __post_init__(self) -> None:
        check_calendar(self.holiday_calendar)
        missing = {self.new_item_model, self.intermittent_fallback, self.smooth_fallback} - set(
            self.models
        )
        if self.node_selection not in ("ensemble", "level", "node"):
            raise ValueError(f"node_selection {self.node_selection!r}: ensemble, level or node")
        if missing:
            raise ValueError(
                f"fallback model(s) {sorted(missing)} must be among models {self.models}"
            )

    @property
    def backtest_span(self) -> int:
        """Months held out by the earliest backtest origin."""
        return self.backtest_horizon + (self.backtest_windows - 1) * self.backtest_step

    @property
    def min_backtest_length(self) -> int:
        """Shortest series that gets a full rolling-origin backtest."""
        return self.min_history + self.backtest_span
