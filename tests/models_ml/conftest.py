"""Shared small synthetic panel and one cycle run, reused by the cycle-level tests."""

import warnings

import pandas as pd
import pytest
from models_ml_settings import CYCLE, FAST_CONFIG

from bench.synthetic import make_synthetic_panel
from models_ml.cycle import run_cycle


@pytest.fixture(scope="session")
def synthetic():
    """Panel (with 24 months beyond the cycle as actuals), products, drivers."""
    panel, products, drivers = make_synthetic_panel(
        n_skus=16, n_regions=2, n_channels=2, end="2025-06-01", seed=7
    )
    products = products.copy()
    products.loc[products["sku"] == "SKU00001", "discontinue_date"] = pd.Timestamp("2025-03-20")
    products.loc[products["sku"] == "SKU00002", "discontinue_date"] = pd.Timestamp("2025-09-10")
    # the planned discontinuation was announced before the cycle (2025-06): the cycle may use it
    products["known_from"] = pd.NaT
    products.loc[products["sku"] == "SKU00002", "known_from"] = pd.Timestamp("2025-05-02")
    return panel, products, drivers


@pytest.fixture(scope="session")
def cycle_result(synthetic):
    """One cycle on data cut at the cycle month."""
    panel, products, drivers = synthetic
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run_cycle(panel[panel["month"] <= CYCLE], products, drivers, CYCLE, FAST_CONFIG)
