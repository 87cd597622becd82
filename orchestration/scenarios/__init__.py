"""What-if scenarios: declarative files of adjustments on top of a cycle's base plan.

``schema`` checks a file's shape, ``vocabulary`` what its values may be in this
warehouse, ``load`` writes the checked files to the ``scenarios`` tables dbt reads
(source ``scenarios``), ``run`` loads them and rebuilds the plan marts for a cycle.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.scenarios.load import read_scenarios, write_scenarios
from orchestration.scenarios.schema import ScenarioError
from orchestration.scenarios.vocabulary import read_vocabulary
from orchestration.settings import provided_sources

__all__ = ["ScenarioError", "load_scenarios"]


def load_scenarios(
    conn: duckdb.DuckDBPyConnection,
    home: Path,
    cycle: date | None = None,
    requested: list[str] | None = None,
) -> pd.DataFrame:
    """Check every scenario file of ``home`` and load them; return the runs table.

    Nothing is written when any file is bad (ScenarioError names file, key, allowed values).
    """
    vocabulary = read_vocabulary(conn, provided_sources(home))
    scenarios = read_scenarios(home, vocabulary)
    return write_scenarios(conn, scenarios, cycle, requested)
