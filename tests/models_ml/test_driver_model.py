"""The driver-aware LightGBM candidate learns the promotion lift."""

import numpy as np

from bench.synthetic import make_synthetic_panel
from models_ml.driver_model import build_driver_inputs, fit_predict_driver_model
from models_ml.panel import build_series_panel, to_wide


def test_driver_model_picks_up_promo_effect():
    panel, _, drivers = make_synthetic_panel(
        n_skus=30,
        n_regions=2,
        n_channels=1,
        noise=0.05,
        promo_lift=2.0,
        intermittent_share=0.0,
        end="2025-06-01",
        seed=11,
    )
    series = build_series_panel(panel, "2025-06-01")
    start = int(series.keys["first_idx"].min())
    y_wide = to_wide(series.long, len(series.keys), start, series.cycle_idx)
    drivers = drivers.copy()
    july = drivers["month"] == "2025-07-01"
    promoted = drivers["sku"].isin([f"SKU{i:05d}" for i in range(0, 30, 2)])
    drivers.loc[july, "promo_depth"] = np.where(promoted[july], 0.3, 0.0)
    inputs = build_driver_inputs(series, drivers, start, series.cycle_idx + 3)
    pred = fit_predict_driver_model(
        y_wide,
        inputs,
        series.cycle_idx - start,
        3,
        {"n_estimators": 100, "learning_rate": 0.1},
        seed=0,
    )
    is_promo = series.keys["sku"].isin([f"SKU{i:05d}" for i in range(0, 30, 2)]).to_numpy()
    recent = np.nanmean(y_wide[:, -12:], axis=1)
    lift = pred[:, 0] / recent
    # true lift is 1 + 2.0 * 0.3 = 1.6; promoted series must be forecast clearly higher
    assert np.median(lift[is_promo]) / np.median(lift[~is_promo]) > 1.3


def test_without_holiday_calendar_the_model_sees_no_holiday_features():
    panel, _, drivers = make_synthetic_panel(
        n_skus=8, n_regions=1, n_channels=1, end="2025-06-01", seed=3
    )
    series = build_series_panel(panel, "2025-06-01")
    start = int(series.keys["first_idx"].min())
    y_wide = to_wide(series.long, len(series.keys), start, series.cycle_idx)
    chinese = build_driver_inputs(series, drivers, start, series.cycle_idx + 3, "chinese")
    none = build_driver_inputs(series, drivers, start, series.cycle_idx + 3, "none")
    assert {"is_spring_festival", "is_618", "is_double11"} <= set(chinese.features)
    assert [f for f in none.features if f.startswith("is_")] == []
    assert "month_of_year" in none.features
    assert list(none.calendar.columns) == ["month_of_year"]
    pred = fit_predict_driver_model(
        y_wide,
        none,
        series.cycle_idx - start,
        3,
        {"n_estimators": 20, "learning_rate": 0.1},
        seed=0,
    )
    assert pred.shape == (len(series.keys), 3)
    assert np.isfinite(pred).all() and (pred >= 0).all()
