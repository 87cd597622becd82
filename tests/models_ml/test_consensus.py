"""Consensus: sales-team numbers disaggregated in proportion to the statistical P50."""

import numpy as np
import pandas as pd

from models_ml.consensus import build_consensus


def _stat():
    month = pd.Timestamp("2025-07-01")
    return pd.DataFrame(
        {
            "cycle_month": pd.Timestamp("2025-06-01"),
            "sku": ["A", "A", "B", "C", "D", "E"],
            "product_line": ["P", "P", "P", "Q", "R", "R"],
            "region": ["EAST", "EAST", "EAST", "EAST", "WEST", "WEST"],
            "channel": ["retail", "online", "retail", "retail", "retail", "online"],
            "target_month": month,
            "lag": 1,
            "p50": [10.0, 30.0, 60.0, 5.0, 0.0, 0.0],
            "naive": [9.0, 31.0, 50.0, 4.0, 0.0, 0.0],
        }
    )


def test_sums_to_sales_team_and_is_proportional():
    month = pd.Timestamp("2025-07-01")
    team = pd.DataFrame(
        {
            "region": ["EAST", "WEST", "NORTH"],
            "product_line": ["P", "R", "P"],
            "target_month": month,
            "forecast_units": [200.0, 50.0, 7.0],
        }
    )
    out = build_consensus(_stat(), team, naive=None)
    p = out[out["product_line"] == "P"]
    assert np.isclose(p["consensus"].sum(), 200.0)
    assert np.allclose(p["consensus"].to_numpy(), [20.0, 60.0, 120.0])
    r = out[out["product_line"] == "R"]  # statistical and naive both zero: even split
    assert np.allclose(r["consensus"].to_numpy(), [25.0, 25.0])
    q = out[out["product_line"] == "Q"]  # not submitted: keeps the statistical forecast
    assert not q["sales_team_submitted"].any() and q["consensus"].iloc[0] == 5.0
    assert p["sales_team_submitted"].all()
    assert out.attrs["unallocated"]["region"].tolist() == ["NORTH"]
    assert list(out.columns) == [
        "cycle_month",
        "sku",
        "product_line",
        "region",
        "channel",
        "target_month",
        "lag",
        "naive",
        "statistical",
        "consensus",
        "sales_team_submitted",
    ]


def test_zero_statistical_splits_by_naive():
    stat = _stat()
    stat.loc[stat["product_line"] == "P", "p50"] = 0.0
    team = pd.DataFrame(
        {
            "region": ["EAST"],
            "product_line": ["P"],
            "target_month": pd.Timestamp("2025-07-01"),
            "forecast_units": [90.0],
        }
    )
    out = build_consensus(stat, team)
    assert np.allclose(out.loc[out["product_line"] == "P", "consensus"], [9.0, 31.0, 50.0])


def test_on_cycle_output(cycle_result):
    fc = cycle_result.forecast
    team = (
        fc.groupby(["region", "product_line", "target_month"], as_index=False)["p50"]
        .sum()
        .assign(forecast_units=lambda d: d["p50"] * 1.2)
        .drop(columns="p50")
    )
    out = build_consensus(fc, team)
    got = out.groupby(["region", "product_line", "target_month"])["consensus"].sum()
    want = team.set_index(["region", "product_line", "target_month"])["forecast_units"]
    assert np.allclose(got.reindex(want.index), want, atol=1e-6)
    assert len(out) == len(fc)
