"""A panel-native sktime forecaster over statsforecast's vectorised engine.

sktime's statsforecast adapters fit one series at a time (sktime loops over the
instances of a panel). This forecaster declares panel and hierarchical inner
mtypes, so sktime hands it the whole panel at once; it converts the panel to
statsforecast's long format once and fits every series in one engine call.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from pandas.tseries.offsets import BaseOffset
from sktime.forecasting.base import BaseForecaster, ForecastingHorizon

from models_ml.candidates import cross_validate_long, forecast_long, supports_intervals


def _as_tuple(models: str | Iterable[str]) -> tuple[str, ...]:
    return (models,) if isinstance(models, str) else tuple(models)


def _data_freq(times: pd.Index) -> BaseOffset | str | None:
    """Frequency of a time index (None for integer time points)."""
    if pd.api.types.is_integer_dtype(times.dtype):
        return None
    if isinstance(times, pd.PeriodIndex):
        return times.freq
    return getattr(times, "freq", None) or pd.infer_freq(pd.Index(times.unique()).sort_values())


class StatsForecastPanel(BaseForecaster):  # type: ignore[misc]  # sktime has no type hints
    """Fit statsforecast models to every series of a panel in one vectorised call.

    Parameters
    ----------
    models : str or tuple of str, default="AutoETS"
        statsforecast model names (``models_ml.candidates.MODEL_NAMES``). The
        point forecast is the mean over the named models (one model: itself);
        ``predict_by_model`` returns each model separately.
    season_length : int, default=12
        Periods per season, passed to the seasonal models.
    n_jobs : int, default=1
        Processes statsforecast uses.

    Notes
    -----
    Time points are mapped to integer positions on the regular grid of the
    data's frequency, so integer, period and datetime indices all work. A
    series ending before the common cutoff is forecast further ahead, so every
    series is predicted at the same absolute time points.

    Examples
    --------
    >>> from sktime.utils._testing.hierarchical import _make_hierarchical
    >>> from models_ml.panel_forecaster import StatsForecastPanel
    >>> y = _make_hierarchical(hierarchy_levels=(2, 2), max_timepoints=24, min_timepoints=24)
    >>> forecaster = StatsForecastPanel(models="SeasonalNaive", season_length=7)
    >>> y_pred = forecaster.fit(y).predict(fh=[1, 2, 3])
    """

    _tags = {
        "authors": ["sop-platform"],
        "python_dependencies": "statsforecast",
        "y_inner_mtype": ["pd.DataFrame", "pd-multiindex", "pd_multiindex_hier"],
        "X_inner_mtype": ["pd.DataFrame", "pd-multiindex", "pd_multiindex_hier"],
        "scitype:y": "univariate",
        "capability:exogenous": False,
        "requires-fh-in-fit": False,
        "capability:missing_values": False,
        "capability:insample": False,
        "capability:pred_int": True,
        "capability:pred_int:insample": False,
    }

    _cache: pd.DataFrame | None

    def __init__(
        self, models: str | Sequence[str] = "AutoETS", season_length: int = 12, n_jobs: int = 1
    ) -> None:
        self.models = models
        self.season_length = season_length
        self.n_jobs = n_jobs
        super().__init__()
        self.set_tags(**{"capability:pred_int": supports_intervals(_as_tuple(models))})

    # ---- conversion between sktime frames and statsforecast's long format ----
    def _grid_positions(self, times: pd.Index) -> np.ndarray:
        """Integer position of each time point on the regular grid from ``_origin``."""
        times = pd.Index(times)
        if pd.api.types.is_integer_dtype(times.dtype):
            return np.asarray(times, dtype=np.int64) - int(self._origin)
        end = max(times.max(), self._origin)
        grid: pd.PeriodIndex | pd.DatetimeIndex
        if isinstance(times, pd.PeriodIndex):
            grid = pd.period_range(self._origin, end, freq=self._freq)
        else:
            grid = pd.date_range(self._origin, end, freq=self._freq)
        pos = grid.get_indexer(times)
        if (pos < 0).any():
            raise ValueError("time index is not on a regular grid of the data's frequency")
        return pos.astype(np.int64)

    def _to_long(self, y: pd.DataFrame) -> pd.DataFrame:
        times = y.index.get_level_values(-1)
        if isinstance(y.index, pd.MultiIndex):
            codes, instances = pd.factorize(y.index.droplevel(-1))
        else:
            codes, instances = np.zeros(len(y), dtype=np.int64), pd.Index([None])
        self._instances = instances
        return pd.DataFrame(
            {
                "unique_id": codes.astype(np.int64),
                "ds": self._grid_positions(times),
                "y": y.iloc[:, 0].to_numpy(dtype=float),
            }
        )

    def _fit(
        self,
        y: pd.DataFrame,
        X: pd.DataFrame | None = None,  # noqa: N803 (sktime signature)
        fh: ForecastingHorizon | None = None,
    ) -> StatsForecastPanel:
        """Store the panel in long format; forecast ahead if ``fh`` is known."""
        times = y.index.get_level_values(-1)
        self._origin = times.min()
        self._freq = getattr(self.cutoff, "freq", None) or _data_freq(times)
        self._y_columns = y.columns
        self._index_names = y.index.names
        self._long = self._to_long(y)
        self._last_pos = self._long.groupby("unique_id")["ds"].max().to_numpy()
        self._cache = None
        if fh is not None:
            steps = self._steps(fh)
            self._cache = self._run_forecast(int(steps.max()))
        return self

    def _steps(self, fh: ForecastingHorizon) -> np.ndarray:
        """Steps ahead (series x fh) from each series' own last observation."""
        target = self._grid_positions(fh.to_absolute_index(self.cutoff))
        steps: np.ndarray = target[None, :] - self._last_pos[:, None]
        if (steps < 1).any():
            raise ValueError("StatsForecastPanel forecasts out of sample only")
        return steps

    def _run_forecast(self, h: int, level: Sequence[float] | None = None) -> pd.DataFrame:
        return forecast_long(
            self._long, _as_tuple(self.models), self.season_length, h, self.n_jobs, level
        )

    def _gather(
        self, frame: pd.DataFrame, columns: Iterable[str], fh: ForecastingHorizon, h: int
    ) -> pd.DataFrame:
        """Pick each series' rows at the requested absolute time points."""
        steps = self._steps(fh)
        n_series, n_fh = steps.shape
        rows = (np.arange(n_series)[:, None] * h + steps - 1).ravel()
        values = {c: frame[c].to_numpy()[rows] for c in columns}
        abs_index = fh.to_absolute_index(self.cutoff)
        if isinstance(self._instances, pd.MultiIndex) or self._instances[0] is not None:
            inst = self._instances.repeat(n_fh)
            inst_frame = (
                inst.to_frame(index=False)
                if isinstance(inst, pd.MultiIndex)
                else (pd.DataFrame({0: np.asarray(inst)}))
            )
            arrays = [inst_frame[c].to_numpy() for c in inst_frame.columns]
            index = pd.MultiIndex.from_arrays(
                [*arrays, np.tile(np.asarray(abs_index), n_series)], names=self._index_names
            )
        else:
            index = abs_index
        return pd.DataFrame(values, index=index)

    def _forecast_frame(
        self, fh: ForecastingHorizon, level: Sequence[float] | None = None
    ) -> tuple[pd.DataFrame, int]:
        h = int(self._steps(fh).max())
        if level is None and self._cache is not None and h <= self._cache_h:
            return self._cache, self._cache_h
        return self._run_forecast(h, level), h

    @property
    def _cache_h(self) -> int:
        return int(len(self._cache) // len(self._last_pos)) if self._cache is not None else 0

    def predict_by_model(self, fh: ForecastingHorizon | None = None) -> pd.DataFrame:
        """Point forecasts of every model, one column per model name."""
        self.check_is_fitted()
        fh = self._check_fh(fh)
        frame, h = self._forecast_frame(fh)
        return self._gather(frame, _as_tuple(self.models), fh, h)

    def _predict(
        self,
        fh: ForecastingHorizon,
        X: pd.DataFrame | None = None,  # noqa: N803
    ) -> pd.DataFrame:
        """Mean over the configured models of their point forecasts."""
        per_model = self.predict_by_model(fh)
        out = pd.DataFrame({self._y_columns[0]: per_model.mean(axis=1)}, index=per_model.index)
        return out

    def _predict_interval(
        self,
        fh: ForecastingHorizon,
        X: pd.DataFrame | None,  # noqa: N803
        coverage: Sequence[float],
    ) -> pd.DataFrame:
        """Native statsforecast intervals, averaged over the configured models."""
        names = _as_tuple(self.models)
        levels = [
            int(round(100 * c)) if abs(100 * c - round(100 * c)) < 1e-9 else 100 * c
            for c in coverage
        ]
        frame, h = self._forecast_frame(fh, level=levels)
        cols: dict[tuple[Hashable, float, str], pd.Series] = {}
        var = self._y_columns[0]
        for c, lvl in zip(coverage, levels, strict=True):
            tag = str(lvl)
            for side, bound in (("lo", "lower"), ("hi", "upper")):
                frame[f"_{side}"] = frame[[f"{n}-{side}-{tag}" for n in names]].mean(axis=1)
                cols[(var, c, bound)] = self._gather(frame, [f"_{side}"], fh, h)[f"_{side}"]
        out = pd.DataFrame(cols)
        out.columns = pd.MultiIndex.from_tuples(list(cols))
        return out

    def backtest(
        self, y: pd.DataFrame, h: int, n_windows: int, step_size: int, refit: bool = True
    ) -> pd.DataFrame:
        """Rolling-origin backtest of every model in statsforecast's vectorised engine.

        Returns a long frame: unique_id, ds, cutoff (integer positions), y and one
        column per model. Does not change the fitted state. ``refit=False``: see
        ``models_ml.candidates.cross_validate_long``.
        """
        probe = StatsForecastPanel(self.models, self.season_length, self.n_jobs)
        probe._origin = y.index.get_level_values(-1).min()
        probe._freq = _data_freq(y.index.get_level_values(-1))
        long = probe._to_long(y)
        cv = cross_validate_long(
            long,
            _as_tuple(self.models),
            self.season_length,
            h,
            n_windows,
            step_size,
            self.n_jobs,
            refit=refit,
        )
        cv["unique_id"] = np.asarray(probe._instances, dtype=object)[cv["unique_id"].to_numpy()]
        for col in ("ds", "cutoff"):
            cv[col] = probe._from_positions(cv[col].to_numpy())
        return cv

    def _from_positions(self, pos: np.ndarray) -> np.ndarray:
        """Original time values of integer grid positions."""
        if isinstance(self._origin, (int, np.integer)):
            return pos + int(self._origin)
        maker = pd.period_range if isinstance(self._origin, pd.Period) else pd.date_range
        grid = maker(self._origin, periods=int(pos.max()) + 1, freq=self._freq)
        values: np.ndarray = np.asarray(grid)[pos]
        return values

    @classmethod
    def get_test_params(cls, parameter_set: str = "default") -> list[dict[str, Any]]:
        """Small, fast settings for sktime's estimator checks."""
        return [
            {"models": "SeasonalNaive", "season_length": 2},
            {"models": ("Naive", "WindowAverage"), "season_length": 1},
        ]
