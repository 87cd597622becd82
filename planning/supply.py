"""Capacity-constrained production planning: build ahead, then report the shortfall.

A production line has a fixed number of units it can make per month. Each
SKU on the line has a net requirement per month (what must be made that
month to serve demand and reach its target stock). The plan walks the months
in order; a month's requirement is made in that month if capacity allows,
otherwise it is built ahead in the latest earlier horizon month that still
has spare capacity (so stock is held as briefly as possible), and whatever
no month up to its due month can absorb is a shortfall of that month.

When the SKUs of a line together need more than the capacity that is left,
every SKU due that month gets the same fraction of its requirement (a fair,
deterministic split; priorities are the S&OP meeting's decision, surfaced as
exceptions, not hidden in the algorithm).

Consequences the tests check: production never exceeds capacity; the
cumulative shortfall of a line up to month t equals
``max(0, max_{s <= t} (cumulative requirement(s) - cumulative capacity(s)))``,
so a shortfall appears exactly when cumulative requirement first exceeds
cumulative capacity; planned + shortfall = requirement in total.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import pandas as pd

REQUIREMENT_COLUMNS = ("cycle_month", "production_line", "sku", "month", "required_units")
CAPACITY_COLUMNS = ("production_line", "month", "available_units")
ALLOCATION_COLUMNS = (
    "cycle_month",
    "production_line",
    "sku",
    "month",
    "required_units",
    "planned_units",
    "built_ahead_units",
    "shortfall_units",
)
_EPS = 1e-9


def _check_columns(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} is missing column(s) {missing}")


def _allocate_line(
    required: np.ndarray, capacity: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Allocate one line's capacity over months (rows) and SKUs (columns).

    Returns planned units per month x SKU, the part of them made for a later
    month, and the shortfall per due month x SKU.
    """
    n_months, n_skus = required.shape
    spare = capacity.astype(float).copy()
    planned = np.zeros((n_months, n_skus))
    built_ahead = np.zeros((n_months, n_skus))
    shortfall = np.zeros((n_months, n_skus))
    for due in range(n_months):
        total = required[due].sum()
        if total <= _EPS:
            continue
        share = required[due] / total
        remaining = total
        for month in range(due, -1, -1):
            take = min(spare[month], remaining)
            if take > _EPS:
                spare[month] -= take
                remaining -= take
                planned[month] += take * share
                if month < due:
                    built_ahead[month] += take * share
            if remaining <= _EPS:
                remaining = 0.0
                break
        shortfall[due] = remaining * share
    return planned, built_ahead, shortfall


def plan_production(requirements: pd.DataFrame, capacity: pd.DataFrame) -> pd.DataFrame:
    """Plan production per cycle, line, SKU and month within each line's monthly capacity.

    Parameters
    ----------
    requirements : DataFrame
        ``cycle_month, production_line, sku, month, required_units``: the net
        requirement (>= 0) due in each month; months are the cycle's horizon
        and nothing is planned before a cycle's first requirement month.
    capacity : DataFrame
        ``production_line, month, available_units``: units the line can make
        in the month; a horizon month without a row has no capacity.

    Returns
    -------
    DataFrame
        One row per input requirement row, with ``planned_units`` (made in
        that month, for that month or built ahead), ``built_ahead_units``
        (the part of ``planned_units`` made for a later month) and
        ``shortfall_units`` (requirement due that month that no capacity up
        to it could absorb). Sorted by cycle, line, SKU and month.
    """
    _check_columns(requirements, REQUIREMENT_COLUMNS, "requirements")
    _check_columns(capacity, CAPACITY_COLUMNS, "capacity")
    if (requirements["required_units"] < 0).any():
        raise ValueError("required_units must be >= 0")
    if requirements.duplicated(["cycle_month", "production_line", "sku", "month"]).any():
        raise ValueError("requirements must have one row per cycle, line, sku and month")
    if capacity.duplicated(["production_line", "month"]).any():
        raise ValueError("capacity must have one row per line and month")

    available = capacity.set_index(["production_line", "month"])["available_units"]
    frames = []
    for key, group in requirements.groupby(["cycle_month", "production_line"], sort=True):
        cycle, line = cast("tuple[Any, Any]", key)  # one (cycle_month, production_line) pair
        grid = group.pivot(index="month", columns="sku", values="required_units")
        grid = grid.sort_index().sort_index(axis=1).fillna(0.0)
        line_capacity = np.array(
            [max(float(available.get((line, month), 0.0)), 0.0) for month in grid.index]
        )
        planned, built_ahead, shortfall = _allocate_line(grid.to_numpy(float), line_capacity)
        months, skus = grid.index, grid.columns
        result = (
            pd.concat(
                {
                    "required_units": grid,
                    "planned_units": pd.DataFrame(planned, index=months, columns=skus),
                    "built_ahead_units": pd.DataFrame(built_ahead, index=months, columns=skus),
                    "shortfall_units": pd.DataFrame(shortfall, index=months, columns=skus),
                },
                axis=1,
            )
            .stack(level="sku", future_stack=True)
            .reset_index()
        )
        result.insert(0, "production_line", line)
        result.insert(0, "cycle_month", cycle)
        keys = group[["sku", "month"]]
        frames.append(result.merge(keys, on=["sku", "month"], how="inner"))

    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ALLOCATION_COLUMNS})
    out = pd.concat(frames, ignore_index=True)[list(ALLOCATION_COLUMNS)]
    return out.sort_values(["cycle_month", "production_line", "sku", "month"], ignore_index=True)
