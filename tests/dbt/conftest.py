"""One small demo warehouse per test session, shared by the dbt tests (one xdist group)."""

from __future__ import annotations

import pytest
from dbt_demo_build import DEMO_CONFIG, DemoWarehouse, build_demo


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> DemoWarehouse:
    """Generate, load and build the demo once; every dbt test reads the same build."""
    return build_demo(tmp_path_factory.mktemp("dbt_demo"), DEMO_CONFIG)
