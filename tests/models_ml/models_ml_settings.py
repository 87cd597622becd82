"""Settings shared by the models_ml tests: a fast candidate set and the cycle month."""

import pandas as pd

from models_ml.config import CycleConfig

CYCLE = pd.Timestamp("2025-06-01")

FAST_CONFIG = CycleConfig(
    models=("SeasonalNaive", "AutoETS", "TSB", "WindowAverage"),
    ensemble_members=("SeasonalNaive", "AutoETS"),
    n_jobs=1,
    lgbm_params={
        "n_estimators": 60,
        "learning_rate": 0.1,
        "num_leaves": 15,
        "min_child_samples": 10,
    },
)
