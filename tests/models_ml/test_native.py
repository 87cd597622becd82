"""The native statsforecast limit runs the same folds and series as the cycle."""

import warnings

from models_ml_settings import CYCLE, FAST_CONFIG

from bench.native import statsforecast_native_cycle


def test_native_same_work(synthetic, cycle_result):
    panel, products, _ = synthetic
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        native = statsforecast_native_cycle(panel, FAST_CONFIG, CYCLE, products)
    fc = cycle_result.forecast
    active = fc[fc["demand_class"] != "discontinued"].groupby(["sku", "region", "channel"])
    assert native["n_series"] == active.ngroups
    assert native["forecast"]["unique_id"].nunique() == active.ngroups
    bt = cycle_result.backtest
    assert (
        native["cross_validation"]["unique_id"].nunique()
        == bt.groupby(["sku", "region", "channel"]).ngroups
    )
    assert native["cross_validation"]["cutoff"].nunique() == FAST_CONFIG.backtest_windows


def test_native_without_refit_runs_the_same_split(synthetic):
    """backtest_refit=False: the limit carries the same models' parameters as the cycle."""
    from dataclasses import replace

    panel, products, _ = synthetic
    config = replace(FAST_CONFIG, backtest_refit=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        native = statsforecast_native_cycle(panel, config, CYCLE, products)
        refitted = statsforecast_native_cycle(panel, FAST_CONFIG, CYCLE, products)
    cv, ref = native["cross_validation"], refitted["cross_validation"]
    assert set(config.models) <= set(cv.columns) and len(cv) == len(ref)
    keys = ["unique_id", "cutoff", "ds"]
    cv, ref = (
        cv.sort_values(keys).reset_index(drop=True),
        ref.sort_values(keys).reset_index(drop=True),
    )
    assert cv["WindowAverage"].equals(ref["WindowAverage"])  # no forward: refitted either way
    assert not cv["AutoETS"].equals(ref["AutoETS"])
