"""Inventory-policy arithmetic against textbook values."""

from __future__ import annotations

import math

import pytest

from planning.policy import safety_stock, service_level_z, sigma_from_interval


@pytest.mark.parametrize(
    ("level", "z"), [(0.5, 0.0), (0.9, 1.2816), (0.95, 1.6449), (0.98, 2.0537), (0.99, 2.3263)]
)
def test_service_level_z_matches_normal_tables(level, z):
    assert service_level_z(level) == pytest.approx(z, abs=1e-4)


def test_service_level_outside_open_interval_is_refused():
    for level in (0.0, 1.0, 1.2):
        with pytest.raises(ValueError):
            service_level_z(level)


def test_p10_p90_interval_of_a_unit_normal_gives_sigma_one():
    assert sigma_from_interval(-1.2815516, 1.2815516) == pytest.approx(1.0, abs=1e-6)
    with pytest.raises(ValueError):
        sigma_from_interval(5, 1)


def test_safety_stock_scales_with_square_root_of_lead_time():
    month = 365.25 / 12
    assert safety_stock(2.0, 10.0, month) == pytest.approx(20.0)
    assert safety_stock(2.0, 10.0, 4 * month) == pytest.approx(40.0)
    assert safety_stock(1.645, 30.0, 15) == pytest.approx(1.645 * 30 * math.sqrt(15 / month))
    assert safety_stock(1.645, 30.0, 0) == 0.0
