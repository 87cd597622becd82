"""From a target number of series to the demo company settings that produce it.

A series is one sku x region x channel that actually sold. Every customer
belongs to one region and one channel (4 x 3 = 12 combinations), and with
about three customers per SKU nearly every SKU sells in every combination
(measured: 100 SKUs and 300 customers give 1,199 series of 1,200). So the
scale sets ``n_skus = ceil(series / 12 * SKU_SLACK)`` and grows the customer
base with it; the bench prints the series count actually found.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

SERIES_PER_SKU = 12
"""Regions x channels of the demo company (4 x 3)."""
SKU_SLACK = 1.02
"""A few SKUs more than strictly needed, for the odd combination that never sells."""
CUSTOMERS_PER_SKU = 3
MIN_CUSTOMERS = 150
LINES_PER_ORDER = 4.6
"""Mean lines per standard order at every scale: what the demo's catalogue-size rule
(``2.5 + n_skus / 40``) gives at 1k series (85 SKUs). Without it, orders grow with the
catalogue up to 14 lines and order lines grow about 14x from 1k to 5k series, so every
stage's slope would measure the data's growth, not the pipeline's."""
AS_OF = date(2026, 11, 6)
"""The demo's 'today': fixed, so every bench run sees the same company."""
CYCLE_MONTH = date(2026, 10, 1)
"""The latest closed month before ``AS_OF``: the planning cycle the bench runs."""
FULL_START_MONTH = "2023-01"
"""Full bench: the demo's default history (46 months up to the cycle)."""
QUICK_START_MONTH = "2024-07"
"""Quick bench: 28 months, still enough for the rolling-origin backtests (22)."""
DEFAULT_SCALES = (1000, 5000, 10000, 20000)
QUICK_SCALE = 300


@dataclass(frozen=True)
class Scale:
    """One bench scale: the target series count and the demo settings chosen for it."""

    target_series: int
    n_skus: int
    n_customers: int
    start_month: str
    mean_lines_per_order: float = LINES_PER_ORDER
    as_of: date = AS_OF
    cycle_month: date = CYCLE_MONTH
    seed: int = 42

    @property
    def label(self) -> str:
        """Short name, e.g. ``1k``, ``20k`` or ``300``."""
        n = self.target_series
        return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)

    def demo_config_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of ``demo_company.DemoConfig`` for this scale."""
        return {
            "seed": self.seed,
            "as_of": self.as_of,
            "start_month": self.start_month,
            "n_skus": self.n_skus,
            "n_customers": self.n_customers,
            "mean_lines_per_order": self.mean_lines_per_order,
        }

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["as_of"], out["cycle_month"] = self.as_of.isoformat(), self.cycle_month.isoformat()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scale:
        return cls(
            **{
                **data,
                "as_of": date.fromisoformat(data["as_of"]),
                "cycle_month": date.fromisoformat(data["cycle_month"]),
            }
        )


def scale_for(target_series: int, quick: bool = False) -> Scale:
    """Demo settings expected to give about ``target_series`` sku x region x channel series."""
    if target_series < SERIES_PER_SKU:
        raise ValueError(f"need at least {SERIES_PER_SKU} series, got {target_series}")
    n_skus = max(4, math.ceil(target_series / SERIES_PER_SKU * SKU_SLACK))
    return Scale(
        target_series=target_series,
        n_skus=n_skus,
        n_customers=max(MIN_CUSTOMERS, CUSTOMERS_PER_SKU * n_skus),
        start_month=QUICK_START_MONTH if quick else FULL_START_MONTH,
    )


def parse_scales(text: str) -> list[int]:
    """``"1000,5k,20000"`` -> ``[1000, 5000, 20000]`` (sorted, unique)."""
    out: set[int] = set()
    for part in text.split(","):
        part = part.strip().lower()
        if not part:
            continue
        value = float(part[:-1]) * 1000 if part.endswith("k") else float(part)
        out.add(int(value))
    if not out:
        raise ValueError("no scale given")
    return sorted(out)
