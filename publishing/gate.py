"""The cross-run quality gate: do the latest results of the critical checks allow planning?

Checks run in the daily job; the plans, the report and publishing run in
other jobs, later. They ask this gate first: for every critical check, its
most recent result in ``audit.dq_results``; any that failed blocks them.
A later passing run of the same check clears it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

_LATEST_CRITICAL_FAILURES = (Path(__file__).parent / "sql" / "latest_critical_failures.sql").read_text()


def critical_failures(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Messages of critical checks whose latest result failed; empty when nothing blocks.

    Each message names the suite, the check, the table, the failing row count
    and a sample (``data_quality.outcome.ExpectationOutcome.describe``). No
    results table yet means no check has run, hence nothing to block on.
    """
    exists = conn.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'audit' and table_name = 'dq_results'").fetchone()[0]
    if not exists:
        return []
    return [row[0] for row in conn.execute(_LATEST_CRITICAL_FAILURES).fetchall()]
