"""Panel preparation: the cut at the cycle month, zero filling."""

import numpy as np
import pandas as pd

from models_ml.panel import build_series_panel, month_index


def test_cut_and_zero_fill():
    panel = pd.DataFrame(
        {
            "sku": ["A", "A", "A", "B"],
            "product_line": "PL",
            "region": "EAST",
            "channel": "retail",
            "month": pd.to_datetime(["2025-01-01", "2025-03-01", "2025-09-01", "2025-05-01"]),
            "demand_units": [4.0, 6.0, 99.0, 0.0],
        }
    )
    series = build_series_panel(panel, "2025-04-01")
    assert list(series.keys["sku"]) == ["A"]  # B has no demand up to the cycle
    assert series.long["y"].tolist() == [4.0, 0.0, 6.0, 0.0]
    assert series.long["ds"].tolist() == list(month_index("2025-01-01")[0] + np.arange(4))
