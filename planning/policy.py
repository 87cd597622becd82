"""Inventory-policy arithmetic: service level to z, forecast interval to sigma, safety stock.

The SQL mart ``mart_inventory_policy`` applies the same formulas; these
functions give the service-level z to the warehouse (DuckDB has no inverse
normal) and let the tests recompute the mart independently.
"""

from __future__ import annotations

import math
from statistics import NormalDist

P10_P90_Z = NormalDist().inv_cdf(0.9)
"""z of the 90th percentile: the P10-P90 interval of a normal spans 2 x 1.2816 sigma."""


def service_level_z(service_level: float) -> float:
    """Return the standard-normal z whose cycle service level (P[no stock-out]) is given.

    Parameters
    ----------
    service_level : float
        Target probability of not running out during a replenishment lead
        time, strictly between 0 and 1 (e.g. 0.95 gives z = 1.645).
    """
    if not 0.0 < service_level < 1.0:
        raise ValueError(f"service_level must be in (0, 1), got {service_level}")
    return NormalDist().inv_cdf(service_level)


def sigma_from_interval(p10: float, p90: float) -> float:
    """Convert a P10-P90 forecast interval into a standard deviation, assuming normal errors."""
    if p90 < p10:
        raise ValueError(f"p90 ({p90}) is below p10 ({p10})")
    return (p90 - p10) / (2.0 * P10_P90_Z)


def safety_stock(
    z: float, sigma_month: float, lead_time_days: float, days_per_month: float = 365.25 / 12
) -> float:
    """Safety stock = z x sigma over the lead time, with monthly errors independent.

    ``sigma_LT = sigma_month x sqrt(lead_time_days / days_per_month)``: the
    forecast error of one month scaled to the replenishment lead time.
    """
    if lead_time_days < 0 or sigma_month < 0:
        raise ValueError("lead_time_days and sigma_month must be >= 0")
    return z * sigma_month * math.sqrt(lead_time_days / days_per_month)
