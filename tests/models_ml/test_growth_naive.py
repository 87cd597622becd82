"""Seasonal naive with a year-on-year correction, against a hand computation."""

import numpy as np

from models_ml import growth_naive


def test_forecast_is_last_season_times_the_year_on_year_ratio():
    y = np.vstack(
        [
            np.r_[np.full(12, 10.0), np.full(12, 12.0)],  # grew 20%
            np.r_[np.zeros(14), np.full(10, 5.0)],
        ]
    )  # launched 10 months ago
    first = np.array([0, 14])
    fc = growth_naive.forecast(y, first, 23, 18, 12)
    assert np.allclose(fc[0, :12], 12.0 * 1.2)
    assert np.allclose(fc[0, 12:], 12.0 * 1.2**2)  # two seasons back, two years' growth
    assert np.allclose(fc[1, :12], y[1, 12:24])  # under two seasons: plain seasonal naive


def test_growth_is_clipped_and_backtest_matches_forecast():
    y = np.r_[np.full(12, 1.0), np.full(12, 50.0), np.full(6, 50.0)][None, :]
    assert growth_naive.growth(y, np.array([0]), 23, 12)[0] == growth_naive.GROWTH_CLIP[1]
    rows = np.zeros(6, dtype=int)
    bt = growth_naive.backtest(y, np.array([0]), rows, np.full(6, 23), 24 + np.arange(6), 12)
    assert np.allclose(bt, growth_naive.forecast(y, np.array([0]), 23, 6, 12)[0])
