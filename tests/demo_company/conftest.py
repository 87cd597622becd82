"""Shared small demo generations: one clean, one with every fault on."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from demo_company import DemoConfig, FaultConfig, generate

SMALL = DemoConfig(n_skus=12, n_customers=30, start_month="2025-01", as_of=date(2026, 3, 10))


@pytest.fixture(scope="session")
def small_config() -> DemoConfig:
    return SMALL


@pytest.fixture(scope="session")
def clean_landing(tmp_path_factory):
    landing = tmp_path_factory.mktemp("clean")
    return landing, generate(SMALL, landing)


@pytest.fixture(scope="session")
def faulty_landing(tmp_path_factory):
    landing = tmp_path_factory.mktemp("faulty")
    return landing, generate(replace(SMALL, faults=FaultConfig.all_on()), landing)
