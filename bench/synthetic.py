"""Seeded synthetic demand panels with known structure, for tests and speed checks.

Each sku x region x channel series has a level, a trend, yearly seasonality with
618 / Double 11 peaks and a Spring Festival dip (the ``chinese`` calendar),
promotion lift proportional to planned promo depth, Gaussian noise with known
relative scale, and optional intermittency. Nothing here reads files or the environment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from models_ml.calendars import chinese_holidays
from models_ml.panel import index_to_month, month_index

REGIONS = ("EAST", "SOUTH", "NORTH", "WEST")
CHANNELS = ("distributor", "retail", "online")


def make_synthetic_panel(
    n_skus: int = 20,
    n_regions: int = 2,
    n_channels: int = 2,
    start: str = "2022-01-01",
    end: str = "2025-12-01",
    noise: float = 0.15,
    promo_lift: float = 1.5,
    intermittent_share: float = 0.2,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Demand panel, product attributes and drivers, all running 24 months past ``end``.

    The months after ``end`` are the actuals a cycle at ``end`` can be scored on.

    Demand = level x trend x season x (1 + promo_lift x promo_depth) x (1 + noise x N(0,1)),
    clipped at zero; intermittent series keep a month's demand with probability 0.4.
    """
    rng = np.random.default_rng(seed)
    months = np.arange(month_index(start)[0], month_index(end)[0] + 1)
    future = np.arange(months[0], months[-1] + 25)
    cal = chinese_holidays(future)
    season = 1 + 0.25 * np.sin(2 * np.pi * (cal["month_of_year"].to_numpy() - 3) / 12)
    events = 1 + 0.4 * cal["is_618"] + 0.6 * cal["is_double11"]
    festival = 1 - 0.35 * cal["is_spring_festival"] + 0.15 * cal["is_pre_spring_festival"]
    season_shape = season * events.to_numpy(dtype=float) * festival.to_numpy(dtype=float)
    regions, channels = REGIONS[:n_regions], CHANNELS[:n_channels]
    skus = [f"SKU{i:05d}" for i in range(n_skus)]
    lines = [f"PL{i % 4}" for i in range(n_skus)]
    products = pd.DataFrame(
        {
            "sku": skus,
            "product_line": lines,
            "launch_date": index_to_month(np.full(n_skus, months[0])),
            "discontinue_date": pd.NaT,
        }
    )
    panel_rows, driver_rows = [], []
    for sku, line in zip(skus, lines, strict=True):
        base_price = float(rng.uniform(20, 200))
        intermittent = rng.random() < intermittent_share
        launch = months[0] if rng.random() > 0.1 else months[-1] - int(rng.integers(3, 12))
        for region in regions:
            promo = np.where(
                rng.random(len(future)) < 0.15, rng.choice([0.1, 0.2, 0.3], len(future)), 0.0
            )
            price = base_price * np.where(
                future >= future[0] + int(rng.integers(12, 48)), 1.05, 1.0
            )
            driver_rows.append(
                pd.DataFrame(
                    {
                        "sku": sku,
                        "region": region,
                        "month": index_to_month(future),
                        "promo_depth": promo,
                        "list_price": price,
                    }
                )
            )
            for channel in channels:
                level = float(rng.lognormal(3.5, 1.0)) * (0.15 if intermittent else 1.0)
                trend = 1 + rng.normal(0.004, 0.004) * (future - future[0])
                mean = level * trend * season_shape * (1 + promo_lift * promo)
                y = mean * (1 + noise * rng.standard_normal(len(future)))
                if intermittent:
                    y = np.where(rng.random(len(future)) < 0.4, y * 2.5, 0.0)
                y = np.clip(np.round(y), 0, None)
                keep = future >= launch
                panel_rows.append(
                    pd.DataFrame(
                        {
                            "sku": sku,
                            "product_line": line,
                            "region": region,
                            "channel": channel,
                            "month": index_to_month(future[keep]),
                            "demand_units": y[keep],
                            "expected_units": mean[keep],
                        }
                    )
                )
    panel = pd.concat(panel_rows, ignore_index=True)
    drivers = pd.concat(driver_rows, ignore_index=True)
    return panel, products, drivers
