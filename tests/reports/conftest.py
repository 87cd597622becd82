"""Shared fixtures for the retrospective tests: sample inputs and rendered pages."""

from __future__ import annotations

from datetime import date

import pytest

from bench.report_sample import sample_inputs
from reports.retrospective import render_retrospective

REVIEW_MONTH = date(2026, 10, 1)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: renders the report in headless chromium (needs /usr/bin/chromium)"
    )


@pytest.fixture(scope="session")
def month() -> date:
    """The month the tests review."""
    return REVIEW_MONTH


@pytest.fixture(scope="session")
def inputs():
    """SAMPLE inputs for the reviewed month (synthetic; seed 7)."""
    return sample_inputs(REVIEW_MONTH, seed=7)


@pytest.fixture(scope="session")
def rendered(inputs) -> dict[str, str]:
    """The report rendered once per language."""
    return {
        lang: render_retrospective(inputs, REVIEW_MONTH, lang, company="Sample Co", sample=True)
        for lang in ("zh", "en")
    }
