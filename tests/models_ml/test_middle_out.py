"""Middle-out forecasting, level intervals and the seasonal naive baseline, on hand-made panels."""

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pandas.testing as pdt
from models_ml_settings import CYCLE, FAST_CONFIG
from statsforecast import StatsForecast
from statsforecast.models import SeasonalNaive

from models_ml.cycle import run_cycle, seasonal_naive
from models_ml.middle_out import node_panel, shares


def _panel(rows):
    return pd.DataFrame(
        rows, columns=["sku", "product_line", "region", "channel", "month", "demand_units"]
    )


def _hand_made():
    """One product line x region: an old seasonal series, a 3-month-old launch, a dead one."""
    months = pd.date_range("2021-01-01", CYCLE, freq="MS")
    rows = []
    for i, m in enumerate(months):
        rows.append(("OLD", "PL", "R", "c", m, 100.0 + 30.0 * np.sin(2 * np.pi * i / 12)))
        if m >= CYCLE - pd.DateOffset(months=2):
            rows.append(("NEW", "PL", "R", "c", m, 10.0))
        if m <= pd.Timestamp("2022-06-01"):
            rows.append(("DEAD", "PL", "R", "c", m, 50.0))
    products = pd.DataFrame(
        {
            "sku": ["OLD", "NEW", "DEAD"],
            "product_line": "PL",
            "launch_date": [
                pd.Timestamp("2021-01-01"),
                CYCLE - pd.DateOffset(months=2),
                pd.Timestamp("2021-01-01"),
            ],
            "discontinue_date": [pd.NaT, pd.NaT, pd.NaT],
        }
    )
    return _panel(rows), products


def _run(panel, products):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run_cycle(panel, products, None, CYCLE, FAST_CONFIG)


def test_young_series_gets_its_share_not_a_flat_average():
    panel, products = _hand_made()
    fc = _run(panel, products).forecast
    new = fc[fc["sku"] == "NEW"]
    old = fc[fc["sku"] == "OLD"]
    # 10 of ~110 units a month in its own 3 months: about 9% of the node, every month
    share = new["p50"].to_numpy() / (new["p50"].to_numpy() + old["p50"].to_numpy())
    assert np.allclose(share, share[0]) and 0.06 < share[0] < 0.12
    assert new["p50"].between(4.0, 20.0).all()  # its own level, with the node's season
    assert (fc[fc["sku"] == "DEAD"]["p50"] == 0).all()  # no sales for years: nothing spread
    assert set(new["naive_method"]) == {"history_mean"}
    assert np.allclose(new["naive"], 10.0)


def test_known_discontinuation_hands_its_share_over():
    panel, products = _hand_made()
    base = _run(panel, products).forecast
    products = products.assign(
        discontinue_date=[pd.NaT, pd.Timestamp("2025-09-15"), pd.NaT],
        known_from=pd.Timestamp("2025-05-01"),
    )  # announced by the cycle
    fc = _run(panel, products).forecast
    new = fc[fc["sku"] == "NEW"].set_index("target_month")["p50"]
    assert (new[new.index > pd.Timestamp("2025-09-15")] == 0).all()
    assert (new[new.index <= pd.Timestamp("2025-09-15")] > 0).all()
    node = fc.groupby("target_month")["p50"].sum().to_numpy()
    assert np.allclose(node, base.groupby("target_month")["p50"].sum().to_numpy())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kept = run_cycle(
            panel,
            products,
            None,
            CYCLE,
            dataclasses.replace(FAST_CONFIG, hand_over_discontinued=False),
        ).forecast
    old = kept[kept["sku"] == "OLD"]["p50"].to_numpy()
    assert np.allclose(old, base[base["sku"] == "OLD"]["p50"].to_numpy())  # left the node


def test_shares_measure_a_launch_over_its_own_months():
    y = np.array([[10, 10, 10, 10], [np.nan, np.nan, 5, 5]], dtype=float)
    nodes = node_panel(pd.DataFrame({"product_line": ["a", "a"], "region": ["r", "r"]}), y)
    w = shares(y, nodes.y, nodes.node_of, 3, 12)
    # old: 40 / 50 = 0.8, young: 10 / 30 = 1/3, normalised to sum 1
    assert np.allclose(w, np.array([0.8, 1 / 3]) / (0.8 + 1 / 3))


def test_levels_coherent_non_negative_and_ordered(cycle_result):
    fc, levels = cycle_result.forecast, cycle_result.levels
    assert set(levels["level"]) == {"product_line_region", "product_line", "total", "sku"}
    for level, keys in (
        ("product_line_region", ["product_line", "region"]),
        ("product_line", ["product_line"]),
        ("total", []),
        ("sku", ["sku"]),
    ):
        own = levels[levels["level"] == level].sort_values([*keys, "target_month"])
        summed = fc.groupby([*keys, "target_month"], as_index=False)["p50"].sum()
        summed = summed.sort_values([*keys, "target_month"])
        assert np.allclose(own["p50"].to_numpy(), summed["p50"].to_numpy(), atol=1e-6)
    assert (levels["p10"] >= -1e-6).all()
    assert (levels["p10"] <= levels["p50"] + 1e-6).all()
    assert (levels["p50"] <= levels["p90"] + 1e-6).all()
    total = levels[levels["level"] == "total"]
    # the range of the sum is narrower than the sum of the series' ranges
    width = (total["p90"] - total["p10"]).sum()
    assert width < (fc["p90"] - fc["p10"]).sum()


def test_seasonal_naive_matches_statsforecast():
    rng = np.random.default_rng(3)
    y = rng.poisson(5.0, size=(4, 30)).astype(float)
    y[2, :10] = np.nan  # 20 months of history: still a full season
    ours, method = seasonal_naive(y, 18, 12)
    assert list(method) == ["seasonal_naive"] * 4
    long = pd.DataFrame(
        {"unique_id": np.repeat(np.arange(4), 30), "ds": np.tile(np.arange(30), 4), "y": y.ravel()}
    ).dropna()
    sf = StatsForecast(models=[SeasonalNaive(season_length=12)], freq=1).forecast(df=long, h=18)
    theirs = sf.sort_values(["unique_id", "ds"])["SeasonalNaive"].to_numpy().reshape(4, 18)
    assert np.allclose(ours, theirs)


def test_seasonal_naive_states_its_fallback():
    y = np.full((1, 20), np.nan)
    y[0, -5:] = [1, 2, 3, 4, 10]
    ours, method = seasonal_naive(y, 6, 12)
    assert list(method) == ["history_mean"]
    assert np.allclose(ours, 4.0)


def test_band_of_sparse_counts_holds_eighty_percent():
    """An atom at zero: [0, q90] would hold ~90%; the band holds 80% out of sample."""
    from models_ml.level_intervals import apply_bottom, bottom_table

    rng = np.random.default_rng(0)
    f = rng.uniform(0.1, 3.0, 20000)
    y = rng.poisson(f).astype(float)
    cv = pd.DataFrame({"forecast": f[:10000], "y": y[:10000], "horizon": 1, "cutoff": 0})
    edges, table = bottom_table(cv, (0.1, 0.9))
    lo, hi = apply_bottom(f[10000:], np.ones(10000, dtype=int), edges, table)
    inside = (y[10000:] >= lo - 1e-9) & (y[10000:] <= hi + 1e-9)
    assert 0.77 < inside.mean() < 0.83
    assert (table["r_lo"] <= table["r_hi"]).all()


def _reference_table(cv, quantiles):
    """The band table as a plain groupby over (size bin, horizon): what bottom_table gives."""
    from models_ml.level_intervals import size_edges

    cv = cv[cv["forecast"] > 0]
    edges = size_edges(cv["forecast"].to_numpy())
    rows = []
    groups = cv.assign(bin=np.searchsorted(edges, cv["forecast"].to_numpy()))
    for (b, h), g in groups.groupby(["bin", "horizon"]):
        ratio = np.sort((g["y"] / g["forecast"]).to_numpy())
        lo = np.quantile(ratio, quantiles[0])
        below = np.searchsorted(ratio, lo, side="left") / len(ratio)
        hi = np.quantile(ratio, min(quantiles[1] - quantiles[0] + below, 1.0))
        rows.append((b, h, lo, max(hi, lo)))
    return edges, pd.DataFrame(rows, columns=["bin", "horizon", "r_lo", "r_hi"])


def test_bottom_band_table_and_lookup_equal_the_plain_groupby():
    """The sorted-slice table and the dense lookup give what a groupby and an index give:
    ties, zeros, non-positive forecasts, a horizon beyond the table and a missing cell."""
    from models_ml.level_intervals import apply_bottom, bottom_table

    rng = np.random.default_rng(3)
    n = 30000
    f = np.round(rng.gamma(0.6, 4.0, n), 1)  # many ties and zeros
    cv = pd.DataFrame(
        {
            "unique_id": rng.integers(0, 500, n),
            "cutoff": rng.integers(0, 3, n),
            "horizon": rng.integers(1, 7, n),
            "y": rng.poisson(f).astype(float),
            "forecast": f,
        }
    )
    cv = cv[~((cv["horizon"] == 6) & (cv["forecast"] > 5))]  # a (bin, horizon) cell missing
    edges, table = bottom_table(cv, (0.1, 0.9))
    ref_edges, ref = _reference_table(cv, (0.1, 0.9))
    np.testing.assert_array_equal(edges, ref_edges)
    pdt.assert_frame_equal(table, ref, check_dtype=False)

    p50 = np.concatenate([f[:5000], [0.0, 50.0, 1e6]])
    lag = np.concatenate([rng.integers(1, 13, 5000), [1, 6, 12]])
    lo, hi = apply_bottom(p50, lag, edges, table)
    indexed = table.set_index(["bin", "horizon"])
    h = np.minimum(lag, table["horizon"].max())
    q = indexed.reindex(pd.MultiIndex.from_arrays([np.searchsorted(edges, p50), h]))
    fallback = table.groupby("horizon")[["r_lo", "r_hi"]].median().reindex(h).to_numpy()
    q = np.nan_to_num(np.where(q.isna(), fallback, q[["r_lo", "r_hi"]].to_numpy()), nan=1.0)
    np.testing.assert_array_equal(lo, np.minimum(p50 * q[:, 0], p50))
    np.testing.assert_array_equal(hi, np.maximum(p50 * q[:, 1], p50))


def test_level_choice_keeps_nodes_coherent(cycle_result):
    """Whatever each product line and the total chose, the nodes add up to it."""
    choice = cycle_result.summary["level_choice"]
    assert set(choice) == {"total", "product_line"}
    levels = cycle_result.levels
    total = levels[levels["level"] == "total"].sort_values("target_month")["p50"].to_numpy()
    lines = levels[levels["level"] == "product_line"].groupby("target_month")["p50"].sum()
    assert np.allclose(total, lines.sort_index().to_numpy(), atol=1e-6)
    assert (cycle_result.forecast["p50"] >= 0).all()


def test_a_discontinuation_decided_after_the_cycle_is_unknown_to_it():
    """Today's product master in a backfill: a date planned after the cycle month is ignored."""
    panel, products = _hand_made()
    base = _run(panel, products).forecast
    later = products.assign(
        discontinue_date=[pd.NaT, pd.Timestamp("2025-09-15"), pd.NaT],
        known_from=pd.Timestamp("2025-08-01"),
    )
    unannounced = later.drop(columns="known_from")
    for frame in (later, unannounced):
        fc = _run(panel, frame).forecast
        assert np.allclose(fc["p50"].to_numpy(), base["p50"].to_numpy())
