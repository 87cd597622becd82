"""Fixtures: a landing folder and a real DuckDB warehouse in ``tmp_path``."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    path = tmp_path / "landing"
    path.mkdir()
    return path


@pytest.fixture
def conn(tmp_path: Path):
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield connection
    connection.close()
