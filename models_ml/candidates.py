"""Candidate statsforecast models by name, and the vectorised engine calls they share.

The cycle, the sktime panel forecaster and the native benchmark helper all build
their models here, so "the same models" means the same objects and settings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import (
    ADIDA,
    TSB,
    AutoARIMA,
    AutoETS,
    AutoTheta,
    CrostonOptimized,
    Naive,
    SeasonalNaive,
    WindowAverage,
)

# A statsforecast model instance (their common base class, ``_TS``, is private).
Model = Any

# name -> (factory(season_length), supports native prediction intervals)
_REGISTRY: dict[str, tuple[Callable[[int], Model], bool]] = {
    "SeasonalNaive": (lambda s: SeasonalNaive(season_length=s, alias="SeasonalNaive"), True),
    "Naive": (lambda s: Naive(alias="Naive"), True),
    "AutoETS": (lambda s: AutoETS(season_length=s, alias="AutoETS"), True),
    # Seasonal ETS without a trend term: a fifth of AutoETS's model search, the
    # trend is left to Theta and the driver model (make run's default set).
    "SeasonalETS": (lambda s: AutoETS(season_length=s, model="ZNZ", alias="SeasonalETS"), True),
    "AutoTheta": (lambda s: AutoTheta(season_length=s, alias="AutoTheta"), True),
    "AutoARIMA": (
        lambda s: AutoARIMA(
            season_length=s,
            max_p=2,
            max_q=2,
            max_P=1,
            max_Q=1,
            max_order=4,
            approximation=True,
            alias="AutoARIMA",
        ),
        True,
    ),
    "TSB": (lambda s: TSB(alpha_d=0.1, alpha_p=0.1, alias="TSB"), False),
    "CrostonOptimized": (lambda s: CrostonOptimized(alias="CrostonOptimized"), False),
    "ADIDA": (lambda s: ADIDA(alias="ADIDA"), False),
    "WindowAverage": (lambda s: WindowAverage(window_size=3, alias="WindowAverage"), False),
}
MODEL_NAMES = tuple(_REGISTRY)


def make_models(names: Sequence[str], season_length: int) -> list[Model]:
    """Instantiate statsforecast models by name, aliased to that name."""
    unknown = [n for n in names if n not in _REGISTRY]
    if unknown:
        raise ValueError(f"unknown models {unknown}; choose from {MODEL_NAMES}")
    return [_REGISTRY[n][0](season_length) for n in names]


def supports_intervals(names: Iterable[str]) -> bool:
    """Whether every named model gives native prediction intervals."""
    return all(_REGISTRY[n][1] for n in names)


def _engine(names: Sequence[str], season_length: int, n_jobs: int) -> StatsForecast:
    return StatsForecast(
        models=make_models(names, season_length),
        freq=1,
        n_jobs=n_jobs,
        fallback_model=Naive(),
    )


def fill_missing_with_naive(
    frame: pd.DataFrame, names: Iterable[str], last_value: pd.Series
) -> pd.DataFrame:
    """Replace NaN forecasts (e.g. seasonal naive on < 1 season) by the last value."""
    fill = frame["unique_id"].map(last_value).to_numpy()
    for n in names:
        col = frame[n].to_numpy()
        bad = np.isnan(col)
        if bad.any():
            col = col.copy()
            col[bad] = fill[bad]
            frame[n] = col
    return frame


def forecast_long(
    df: pd.DataFrame,
    names: Sequence[str],
    season_length: int,
    h: int,
    n_jobs: int = 1,
    level: Sequence[float] | None = None,
) -> pd.DataFrame:
    """statsforecast ``forecast`` on a long frame (unique_id, ds int, y), sorted output."""
    engine = _engine(names, season_length, n_jobs)
    # statsforecast annotates ``level`` as list[int], but non-integer levels (97.5) work and
    # name their columns ``<model>-lo-97.5``: the panel forecaster's 0.975 coverage needs them.
    levels = list(level) if level else None
    out = engine.forecast(df=df, h=h, level=levels)  # type: ignore[arg-type]
    out = out.sort_values(["unique_id", "ds"], kind="stable").reset_index(drop=True)
    last = df.groupby("unique_id")["y"].last()
    return fill_missing_with_naive(out, names, last)


def backtest_groups(
    names: Iterable[str], season_length: int, refit: bool
) -> list[tuple[list[str], bool]]:
    """The ``(models, refit)`` cross-validation calls a backtest makes.

    With ``refit=False``, models that can carry fitted parameters to a later
    origin (statsforecast's ``forward``: the ETS, Theta and ARIMA families) go
    in a ``refit=False`` call and the others in a refitting one. The cycle and
    the native limit both split this way, so they do the same work.
    """
    listed = list(names)
    if refit:
        return [(listed, True)]
    models = make_models(listed, season_length)
    carried = [n for n, m in zip(listed, models, strict=True) if hasattr(m, "forward")]
    refitted = [n for n in listed if n not in carried]
    return [
        (group, group_refit) for group, group_refit in ((refitted, True), (carried, False)) if group
    ]


def cross_validate_long(
    df: pd.DataFrame,
    names: Iterable[str],
    season_length: int,
    h: int,
    n_windows: int,
    step_size: int,
    n_jobs: int = 1,
    refit: bool = True,
) -> pd.DataFrame:
    """statsforecast ``cross_validation`` over rolling origins, sorted output.

    ``refit=False`` fits the models that have ``forward`` once, at the first
    origin, and carries their parameters to the later origins (statsforecast's
    ``refit=False``); the others, all cheap, are refitted at each origin.
    """
    listed = list(names)
    keys = ["unique_id", "ds", "cutoff", "y"]
    merged: pd.DataFrame | None = None
    for group, group_refit in backtest_groups(listed, season_length, refit):
        part = _engine(group, season_length, n_jobs).cross_validation(
            df=df, h=h, n_windows=n_windows, step_size=step_size, refit=group_refit
        )
        merged = part if merged is None else merged.merge(part, on=keys, how="outer")
    if merged is None:
        raise ValueError("no models to backtest")
    out = merged[[*keys, *listed]]
    out = out.sort_values(["unique_id", "cutoff", "ds"], kind="stable").reset_index(drop=True)
    train_last = df.merge(out[["unique_id", "cutoff"]].drop_duplicates(), on="unique_id")
    train_last = train_last[train_last["ds"] == train_last["cutoff"]]
    last = train_last.set_index(["unique_id", "cutoff"])["y"]
    key = pd.MultiIndex.from_frame(out[["unique_id", "cutoff"]])
    fill = last.reindex(key).to_numpy()
    for n in listed:
        col = out[n].to_numpy()
        bad = np.isnan(col)
        if bad.any():
            col = col.copy()
            col[bad] = fill[bad]
            out[n] = col
    return out
