"""Speed check: the cycle's wall time against statsforecast doing the same work natively.

Run ``python -m bench.speed 1000 3000``. Both sides run once on a tiny panel
first, so numba compilation is not counted; each is then timed on the same
synthetic panel. Prints one line per size with the ratio.
"""

from __future__ import annotations

import argparse
import time
import warnings
from typing import Any

import pandas as pd

from bench.native import statsforecast_native_cycle
from bench.synthetic import make_synthetic_panel
from models_ml.config import CycleConfig
from models_ml.cycle import run_cycle

CYCLE = pd.Timestamp("2025-06-01")


def compare_with_native(n_series: int, config: CycleConfig, seed: int = 0) -> dict[str, Any]:
    """Time ``run_cycle`` and ``statsforecast_native_cycle`` on one synthetic panel."""
    n_skus = max(1, round(n_series / 12))
    panel, products, drivers = make_synthetic_panel(
        n_skus=n_skus, n_regions=4, n_channels=3, end=str(CYCLE.date()), seed=seed
    )
    panel = panel[panel["month"] <= CYCLE]
    start = time.perf_counter()
    native = statsforecast_native_cycle(panel, config, CYCLE, products)
    native_wall = time.perf_counter() - start
    start = time.perf_counter()
    result = run_cycle(panel, products, drivers, CYCLE, config)
    cycle_wall = time.perf_counter() - start
    return {
        "n_series": native["n_series"],
        "native_seconds": round(native_wall, 2),
        "cycle_seconds": round(cycle_wall, 2),
        "ratio": round(cycle_wall / native_wall, 3),
        "cycle_steps": result.timings,
        "coverage": round(result.coverage["coverage"], 3),
        "lag1_wape_selected": round(result.summary["lag1_wape_selected"], 4),
        "lag1_wape_seasonal_naive": round(
            result.summary.get("lag1_wape_SeasonalNaive", float("nan")), 4
        ),
    }


def main(argv: list[str] | None = None) -> None:
    """Print the ratio for each requested number of series."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 3000])
    parser.add_argument("--models", default=",".join(CycleConfig().models))
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args(argv)
    config = CycleConfig(models=tuple(args.models.split(",")), n_jobs=args.n_jobs)
    warnings.simplefilter("ignore")
    compare_with_native(24, config)  # warm-up: numba compilation on both sides
    for size in args.sizes:
        print(compare_with_native(size, config), flush=True)


if __name__ == "__main__":
    main()
