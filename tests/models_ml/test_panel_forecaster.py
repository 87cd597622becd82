"""The panel-native sktime forecaster: reference values and sktime's estimator checks."""

import warnings

import numpy as np
import pandas as pd
import pytest
from statsforecast import StatsForecast
from statsforecast.models import AutoETS, SeasonalNaive, WindowAverage

from models_ml.panel_forecaster import StatsForecastPanel


def _panel(n_series=6, length=40, seed=0):
    rng = np.random.default_rng(seed)
    frames = []
    for i in range(n_series):
        months = pd.period_range(end="2025-06", periods=length - (i % 3) * 5, freq="M")
        t = np.arange(len(months))
        y = 50 + 10 * np.sin(2 * np.pi * t / 12) + 0.3 * t + rng.normal(0, 3, len(t))
        frames.append(pd.DataFrame({"series": f"s{i}", "month": months, "y": y}))
    return pd.concat(frames).set_index(["series", "month"])


@pytest.mark.parametrize("model", ["AutoETS", "SeasonalNaive"])
def test_matches_statsforecast_called_directly(model):
    y = _panel()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = StatsForecastPanel(model, season_length=12).fit(y).predict(fh=[1, 2, 3])
    long = y.reset_index().rename(columns={"series": "unique_id", "month": "ds"})
    long["ds"] = long["ds"].dt.to_timestamp()
    ref_model = AutoETS(season_length=12) if model == "AutoETS" else SeasonalNaive(season_length=12)
    ref = StatsForecast(models=[ref_model], freq="MS").forecast(df=long, h=3)
    ref = ref.sort_values(["unique_id", "ds"])[model].to_numpy()
    assert np.allclose(ours["y"].to_numpy(), ref, rtol=1e-8, atol=1e-8)
    assert list(ours.index.get_level_values(-1).unique().astype(str)) == [
        "2025-07",
        "2025-08",
        "2025-09",
    ]


def test_backtest_matches_statsforecast_cross_validation():
    y = _panel()
    cv = StatsForecastPanel("SeasonalNaive", season_length=12).backtest(
        y, h=3, n_windows=3, step_size=3
    )
    long = y.reset_index().rename(columns={"series": "unique_id", "month": "ds"})
    long["ds"] = long["ds"].dt.to_timestamp()
    ref = StatsForecast(models=[SeasonalNaive(season_length=12)], freq="MS").cross_validation(
        df=long, h=3, n_windows=3, step_size=3
    )
    ref = ref.sort_values(["unique_id", "cutoff", "ds"])
    assert np.allclose(cv["SeasonalNaive"].to_numpy(), ref["SeasonalNaive"].to_numpy())
    assert np.allclose(cv["y"].to_numpy(), ref["y"].to_numpy())


def test_backtest_without_refit_carries_parameters_of_forward_models_only():
    """refit=False: AutoETS as statsforecast's refit=False, WindowAverage refitted per origin."""
    y = _panel()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cv = StatsForecastPanel(("AutoETS", "WindowAverage"), season_length=12).backtest(
            y, h=3, n_windows=3, step_size=3, refit=False
        )
        long = y.reset_index().rename(columns={"series": "unique_id", "month": "ds"})
        long["ds"] = long["ds"].dt.to_timestamp()
        carried = StatsForecast(models=[AutoETS(season_length=12)], freq="MS").cross_validation(
            df=long, h=3, n_windows=3, step_size=3, refit=False
        )
        refitted = StatsForecast(models=[AutoETS(season_length=12)], freq="MS").cross_validation(
            df=long, h=3, n_windows=3, step_size=3
        )
        window = StatsForecast(models=[WindowAverage(window_size=3)], freq="MS").cross_validation(
            df=long, h=3, n_windows=3, step_size=3
        )
    order = ["unique_id", "cutoff", "ds"]
    carried, refitted, window = (f.sort_values(order) for f in (carried, refitted, window))
    assert np.allclose(cv["AutoETS"].to_numpy(), carried["AutoETS"].to_numpy())
    assert not np.allclose(cv["AutoETS"].to_numpy(), refitted["AutoETS"].to_numpy())
    assert np.allclose(cv["WindowAverage"].to_numpy(), window["WindowAverage"].to_numpy())
    assert np.allclose(cv["y"].to_numpy(), carried["y"].to_numpy())


def test_intervals_are_ordered():
    y = _panel()
    pred = StatsForecastPanel("SeasonalNaive").fit(y).predict_interval(fh=[1, 2], coverage=0.8)
    lower, upper = pred.iloc[:, 0], pred.iloc[:, 1]
    assert (lower <= upper).all()


@pytest.mark.slow
def test_check_estimator():
    """sktime's full estimator suite (several minutes on a loaded 2-core machine)."""
    from sktime.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_estimator(StatsForecastPanel, raise_exceptions=True)
