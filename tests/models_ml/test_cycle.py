"""The planning cycle end to end on a small synthetic panel."""

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pandas.testing as pdt
from models_ml_settings import CYCLE, FAST_CONFIG

from models_ml.cycle import run_cycle


def test_output_contract(cycle_result):
    fc = cycle_result.forecast
    assert list(fc.columns) == [
        "cycle_month",
        "sku",
        "product_line",
        "region",
        "channel",
        "target_month",
        "lag",
        "p10",
        "p50",
        "p90",
        "naive",
        "naive_method",
        "model",
        "demand_class",
    ]
    assert fc["lag"].min() == 1 and fc["lag"].max() == 18
    assert fc["target_month"].min() == pd.Timestamp("2025-07-01")
    assert not fc[["p10", "p50", "p90", "naive"]].isna().any().any()
    node_models = {f"{m}@product_line_region" for m in (*FAST_CONFIG.models, "Ensemble")}
    assert set(fc["model"]) - {"Zero"} <= node_models
    assert set(fc["naive_method"]) <= {"seasonal_naive", "history_mean"}
    bt = cycle_result.backtest
    assert (bt.groupby(["sku", "region", "channel"])["selected"].sum() == 1).all()
    assert (bt["n_origins"] == FAST_CONFIG.backtest_windows).all()


def test_non_negative_and_ordered(cycle_result):
    fc = cycle_result.forecast
    assert (fc["p10"] >= 0).all()
    assert (fc["p10"] <= fc["p50"] + 1e-12).all() and (fc["p50"] <= fc["p90"] + 1e-12).all()
    alive = fc[fc["p50"] > 0]
    assert (alive["p90"] > alive["p10"]).mean() > 0.95  # intervals are not degenerate


def test_discontinued_forecast_zero(cycle_result):
    fc = cycle_result.forecast
    gone = fc[fc["sku"] == "SKU00001"]  # discontinued before the cycle
    assert (gone["demand_class"] == "discontinued").all()
    assert (gone[["p10", "p50", "p90"]] == 0).all().all()
    ending = fc[fc["sku"] == "SKU00002"]  # discontinued 2025-09-10
    after = ending[ending["target_month"] > pd.Timestamp("2025-09-10")]
    before = ending[ending["target_month"] <= pd.Timestamp("2025-09-10")]
    assert (after[["p10", "p50", "p90"]] == 0).all().all()
    assert (before["p50"] > 0).all()


def test_time_travel(synthetic, cycle_result):
    """Appending months after the cycle month changes nothing in that cycle."""
    panel, products, drivers = synthetic
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = run_cycle(panel, products, drivers, CYCLE, FAST_CONFIG)
    pdt.assert_frame_equal(again.forecast, cycle_result.forecast)
    pdt.assert_frame_equal(again.backtest, cycle_result.backtest)


def test_reconciliation_coherence(cycle_result):
    h = cycle_result.hierarchy
    keys = ["target_month"]
    total = h[h["level"] == "total"].set_index(keys)["p50"]
    for level in ("product_line", "region"):
        children = h[h["level"] == level].groupby(keys)["p50"].sum()
        assert np.allclose(children, total.reindex(children.index), atol=1e-6, rtol=0)
    for parent, child, by in [
        ("product_line", "sku", ["product_line"]),
        ("region", "region_channel", ["region"]),
    ]:
        p = h[h["level"] == parent].set_index([*by, *keys])["p50"]
        c = h[h["level"] == child].groupby([*by, *keys])["p50"].sum()
        assert np.allclose(c, p.reindex(c.index), atol=1e-6, rtol=0)
    bottom = cycle_result.forecast.groupby(["product_line", "sku", "target_month"])["p50"].sum()
    sku = h[h["level"] == "sku"].set_index(["product_line", "sku", "target_month"])["p50"]
    assert np.allclose(bottom, sku.reindex(bottom.index), atol=1e-6, rtol=0)


def test_interval_coverage_against_future_actuals(synthetic, cycle_result):
    """Synthetic noise is known (15% Gaussian): realised P10-P90 coverage is near 80%."""
    panel, _, _ = synthetic
    fc = cycle_result.forecast
    fc = fc[(fc["lag"] <= 3) & (fc["demand_class"] != "discontinued")]
    actual = panel.rename(columns={"month": "target_month"})
    joined = fc.merge(actual, on=["sku", "region", "channel", "target_month"])
    inside = (joined["demand_units"] >= joined["p10"]) & (joined["demand_units"] <= joined["p90"])
    assert 0.65 <= inside.mean() <= 0.95, inside.mean()
    assert 0.6 <= cycle_result.coverage["coverage"] <= 0.95


def test_selected_beats_seasonal_naive_in_backtest(cycle_result):
    s = cycle_result.summary
    assert s["lag1_wape_selected"] < s["lag1_wape_SeasonalNaive"]


def test_lag1_wape_reads_what_the_cycle_wrote(cycle_result):
    """The forecast asset's ``lag1_backtest_wape`` metadata: one pooled WAPE per model."""
    wape = cycle_result.lag1_wape()
    assert {"selected", *FAST_CONFIG.models} <= set(wape)
    assert wape["selected"] == cycle_result.summary["lag1_wape_selected"]
    assert all(np.isfinite(v) and v >= 0 for v in wape.values())
    assert not {"node_models", "level_choice"} & set(wape)


def test_forecast_asset_metadata_shows_the_lag1_backtest(cycle_result):
    """The asset's ``lag1_backtest_wape`` read a key run_cycle never wrote: it was always {}."""
    from orchestration.assets.forecast import forecast_metadata

    metadata = forecast_metadata(CYCLE.date(), cycle_result, cycle_result.forecast, 1)
    wape = metadata["lag1_backtest_wape"].value
    assert wape["selected"] == cycle_result.summary["lag1_wape_selected"]
    assert wape["SeasonalNaive"] == cycle_result.summary["lag1_wape_SeasonalNaive"]
    assert sum(metadata["selected_models"].value.values()) == metadata["series"]


def test_holiday_calendar_reaches_the_driver_model_only(synthetic, cycle_result):
    """With ``holiday_calendar="none"`` only the LightGBM candidate's backtest changes."""
    panel, products, drivers = synthetic
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plain = run_cycle(
            panel[panel["month"] <= CYCLE],
            products,
            drivers,
            CYCLE,
            dataclasses.replace(FAST_CONFIG, holiday_calendar="none"),
        )
    keys = ["sku", "region", "channel", "model"]
    before = cycle_result.backtest.set_index(keys)["wape"]
    after = plain.backtest.set_index(keys)["wape"].reindex(before.index)
    is_driver = before.index.get_level_values("model") == "LightGBM"
    assert is_driver.any()
    pdt.assert_series_equal(after[~is_driver], before[~is_driver])
    assert not np.allclose(after[is_driver], before[is_driver], equal_nan=True)
