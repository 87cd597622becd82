"""Fixtures of the publishing tests."""

from pathlib import Path

import pytest
from published_warehouse import make_warehouse


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return make_warehouse(tmp_path / "warehouse.duckdb")
