"""The cross-run quality gate: do the latest results of the critical checks allow planning?

Checks and dbt builds run in the daily job; the plans, the report and
publishing run in other jobs, later. They ask this gate first: for every
critical check (Great Expectations or dbt test, or a dbt model's build), its
most recent result in ``audit.dq_results``; any that failed blocks them. A
later passing run of the same check clears it, and a later full dbt build
clears every earlier dbt row of its suite (a removed test no longer blocks).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

_LATEST_CRITICAL_FAILURES = (
    Path(__file__).parent / "sql" / "latest_critical_failures.sql"
).read_text()


def critical_failures(
    conn: duckdb.DuckDBPyConnection, exclude_suites: Sequence[str] = ()
) -> list[str]:
    """Messages of critical checks whose latest result failed; empty when nothing blocks.

    Each message names the suite or dbt test, the check, the table, the
    failing row count and a sample. ``exclude_suites`` are suites the caller
    itself rebuilds (the planning dbt build does not wait on its own last
    failure). No results table yet means no check has run: nothing blocks.
    """
    exists = conn.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'audit' and table_name = 'dq_results_current'"
    ).fetchone()
    if not exists or not exists[0]:
        return []
    params = {"excluded_suites": list(exclude_suites)}
    return [row[0] for row in conn.execute(_LATEST_CRITICAL_FAILURES, params).fetchall()]
