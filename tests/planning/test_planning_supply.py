"""plan_production on hand-made lines with known answers, and its invariants on random ones."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from planning.supply import plan_production

CYCLE = date(2025, 1, 1)
MONTHS = [date(2025, m, 1) for m in (2, 3, 4, 5)]


def _requirements(per_sku: dict[str, list[float]], line: str = "PL1") -> pd.DataFrame:
    rows = [
        (CYCLE, line, sku, month, float(units))
        for sku, values in per_sku.items()
        for month, units in zip(MONTHS, values, strict=False)
    ]
    return pd.DataFrame(
        rows, columns=["cycle_month", "production_line", "sku", "month", "required_units"]
    )


def _capacity(values: list[float], line: str = "PL1") -> pd.DataFrame:
    return pd.DataFrame(
        {"production_line": line, "month": MONTHS[: len(values)], "available_units": values}
    )


def _column(plan: pd.DataFrame, sku: str, column: str) -> list[float]:
    return plan.loc[plan["sku"] == sku].sort_values("month")[column].round(9).tolist()


def test_within_capacity_production_equals_requirement():
    plan = plan_production(_requirements({"A": [10, 20, 30, 40]}), _capacity([50] * 4))
    assert _column(plan, "A", "planned_units") == [10, 20, 30, 40]
    assert _column(plan, "A", "shortfall_units") == [0, 0, 0, 0]
    assert _column(plan, "A", "built_ahead_units") == [0, 0, 0, 0]


def test_peak_is_built_ahead_in_the_latest_month_with_spare_capacity():
    plan = plan_production(_requirements({"A": [10, 10, 10, 90]}), _capacity([50] * 4))
    # May needs 90 with 50 of capacity: 40 more made in April (spare 40), none earlier.
    assert _column(plan, "A", "planned_units") == [10, 10, 50, 50]
    assert _column(plan, "A", "built_ahead_units") == [0, 0, 40, 0]
    assert _column(plan, "A", "shortfall_units") == [0, 0, 0, 0]


def test_build_ahead_reaches_back_several_months_but_not_before_the_horizon():
    plan = plan_production(_requirements({"A": [0, 0, 0, 250]}), _capacity([50] * 4))
    assert _column(plan, "A", "planned_units") == [50, 50, 50, 50]
    assert _column(plan, "A", "built_ahead_units") == [50, 50, 50, 0]
    assert _column(plan, "A", "shortfall_units") == [0, 0, 0, 50]


def test_early_peak_cannot_use_later_capacity():
    plan = plan_production(_requirements({"A": [80, 0, 0, 0]}), _capacity([50] * 4))
    assert _column(plan, "A", "planned_units") == [50, 0, 0, 0]
    assert _column(plan, "A", "shortfall_units") == [30, 0, 0, 0]


def test_skus_share_a_short_month_in_proportion_to_their_requirement():
    plan = plan_production(
        _requirements({"A": [60, 0, 0, 0], "B": [20, 0, 0, 0]}), _capacity([40, 40, 40, 40])
    )
    assert _column(plan, "A", "planned_units")[0] == 30
    assert _column(plan, "B", "planned_units")[0] == 10
    assert _column(plan, "A", "shortfall_units")[0] == 30
    assert _column(plan, "B", "shortfall_units")[0] == 10


def test_month_without_capacity_row_has_no_capacity():
    plan = plan_production(_requirements({"A": [10, 10, 10, 10]}), _capacity([100, 100]))
    assert _column(plan, "A", "planned_units") == [10, 30, 0, 0]
    assert _column(plan, "A", "shortfall_units") == [0, 0, 0, 0]
    assert _column(plan, "A", "built_ahead_units") == [0, 20, 0, 0]


def test_lines_and_cycles_are_planned_independently():
    first = _requirements({"A": [100, 0, 0, 0]}, line="PL1")
    second = _requirements({"B": [100, 0, 0, 0]}, line="PL2")
    later = first.assign(cycle_month=date(2024, 12, 1))
    capacity = pd.concat([_capacity([100] * 4, "PL1"), _capacity([60] * 4, "PL2")])
    plan = plan_production(pd.concat([first, second, later]), capacity)
    totals = plan.groupby(["cycle_month", "production_line"])["shortfall_units"].sum()
    assert totals.to_dict() == {
        (date(2024, 12, 1), "PL1"): 0,
        (CYCLE, "PL1"): 0,
        (CYCLE, "PL2"): 40,
    }


def test_rejects_negative_requirements_and_duplicate_keys():
    with pytest.raises(ValueError, match=">= 0"):
        plan_production(_requirements({"A": [-1, 0, 0, 0]}), _capacity([1] * 4))
    doubled = pd.concat([_requirements({"A": [1] * 4})] * 2)
    with pytest.raises(ValueError, match="one row per"):
        plan_production(doubled, _capacity([1] * 4))


@pytest.mark.parametrize("seed", range(25))
def test_invariants_on_random_lines(seed):
    rng = np.random.default_rng(seed)
    n_months = 4
    skus = {f"S{i}": rng.integers(0, 60, n_months).astype(float).tolist() for i in range(3)}
    cap = rng.integers(0, 120, n_months).astype(float)
    plan = plan_production(_requirements(skus), _capacity(cap.tolist()))
    by_month = plan.groupby("month")[["required_units", "planned_units", "shortfall_units"]].sum()

    # production never above capacity
    assert (by_month["planned_units"].to_numpy() <= cap + 1e-9).all()
    # nothing made is lost, nothing needed is forgotten
    assert by_month["planned_units"].sum() + by_month["shortfall_units"].sum() == pytest.approx(
        by_month["required_units"].sum()
    )
    # cumulative shortfall = running max of (cumulative requirement - cumulative capacity)+
    excess = np.cumsum(by_month["required_units"].to_numpy()) - np.cumsum(cap)
    expected = np.maximum.accumulate(np.maximum(excess, 0.0))
    np.testing.assert_allclose(
        np.cumsum(by_month["shortfall_units"].to_numpy()), expected, atol=1e-9
    )
    # production for a month never lies after it: cumulative made covers cumulative made-for
    made_for = by_month["required_units"] - by_month["shortfall_units"]
    assert (np.cumsum(by_month["planned_units"]) >= np.cumsum(made_for) - 1e-9).all()
