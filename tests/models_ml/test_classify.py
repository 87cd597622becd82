"""Demand classification on hand-made series."""

import numpy as np
import pandas as pd

from models_ml.classify import classify_demand, demand_statistics, syntetos_boylan_class
from models_ml.config import CycleConfig
from models_ml.panel import build_series_panel


def test_quadrants_use_syntetos_boylan_cutoffs():
    adi = [1.0, 1.0, 2.0, 2.0, 1.31, 1.32]
    cv2 = [0.1, 0.6, 0.1, 0.6, 0.48, 0.49]
    assert list(syntetos_boylan_class(adi, cv2)) == [
        "smooth",
        "erratic",
        "intermittent",
        "lumpy",
        "smooth",
        "lumpy",
    ]


def test_statistics_of_hand_made_series():
    adi, cv2 = demand_statistics([0, 10, 0, 10, 0, 10])
    assert adi == 2.0 and cv2 == 0.0
    adi, cv2 = demand_statistics([5, 15, 5, 15])
    assert adi == 1.0 and np.isclose(cv2, (5 / 10) ** 2)


def _panel(values: dict) -> pd.DataFrame:
    rows = []
    for sku, ys in values.items():
        months = pd.date_range(end="2025-06-01", periods=len(ys), freq="MS")
        rows.append(
            pd.DataFrame(
                {
                    "sku": sku,
                    "product_line": "PL",
                    "region": "EAST",
                    "channel": "retail",
                    "month": months,
                    "demand_units": ys,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def test_classify_demand_labels_every_kind():
    rng = np.random.default_rng(0)
    values = {
        "smooth": 100 + rng.normal(0, 5, 30),
        "erratic": rng.choice([10.0, 200.0], 30),
        "intermittent": np.tile([0.0, 0.0, 20.0], 10),
        "lumpy": np.tile([0.0, 0.0, 5.0, 0.0, 0.0, 300.0], 5),
        "new": np.full(6, 50.0),
        "gone": np.full(30, 50.0),
    }
    panel = _panel(values)
    products = pd.DataFrame(
        {
            "sku": list(values),
            "product_line": "PL",
            "launch_date": pd.NaT,
            "discontinue_date": pd.NaT,
        }
    )
    products.loc[products["sku"] == "gone", "discontinue_date"] = pd.Timestamp("2025-05-31")
    series = build_series_panel(panel, "2025-06-01")
    classes = classify_demand(series, products, CycleConfig())
    got = dict(zip(series.keys["sku"], classes["demand_class"], strict=True))
    assert got == {
        "smooth": "smooth",
        "erratic": "erratic",
        "intermittent": "intermittent",
        "lumpy": "lumpy",
        "new": "new",
        "gone": "discontinued",
    }
