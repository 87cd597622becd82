"""ARIMA is a working candidate: off in make run's default set for cost, on with one config line."""

import numpy as np
import pandas as pd

from bench.synthetic import make_synthetic_panel
from models_ml import CycleConfig, run_cycle


def test_cycle_with_arima_among_the_candidates_scores_and_forecasts_it():
    panel, products, drivers = make_synthetic_panel(
        n_skus=3, n_regions=1, n_channels=1, intermittent_share=0.0, seed=3
    )
    cycle = pd.Timestamp("2025-06-01")
    config = CycleConfig(
        horizon=6,
        models=("SeasonalNaive", "AutoARIMA", "TSB", "WindowAverage", "AutoTheta"),
        smooth_fallback="AutoTheta",
        ensemble_members=("AutoARIMA", "AutoTheta"),
        use_driver_model=False,
        n_jobs=1,
    )
    result = run_cycle(panel[panel["month"] <= cycle], products, drivers, cycle, config)
    scored = result.backtest[result.backtest["model"] == "AutoARIMA"]
    assert len(scored) == 3 and np.isfinite(scored["wape"]).all()
    forecast = result.forecast
    assert len(forecast) == 3 * 6
    assert (forecast["p10"] <= forecast["p50"]).all() and (forecast["p50"] <= forecast["p90"]).all()
