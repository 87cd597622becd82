"""Keep validation results as data: ``audit.dq_results``, one row per check per validation.

Re-persisting the same run replaces that run's rows for the same suite and
table, so a retried run never duplicates results.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import duckdb

from data_quality.outcome import ValidationOutcome

DQ_RESULTS_TABLE = "audit.dq_results"
_DDL = (Path(__file__).parent / "sql" / "dq_results.sql").read_text()
_COLUMNS = (
    "run_id", "suite", "table_name", "expectation", "expectation_type", "check_kind",
    "column_name", "severity", "success", "unexpected_count", "element_count",
    "observed_value", "sample", "message", "evaluated_at",
)


def ensure_dq_results(conn: duckdb.DuckDBPyConnection) -> None:
    """Create ``audit.dq_results`` if missing."""
    conn.execute(_DDL)


def persist_results(
    conn: duckdb.DuckDBPyConnection, outcomes: Iterable[ValidationOutcome], run_id: str
) -> int:
    """Write every check of ``outcomes`` to ``audit.dq_results`` under ``run_id``.

    ``column_name`` holds the check's columns joined by ``", "``; ``sample`` and
    ``observed_value`` are JSON text. Returns the number of rows written.
    """
    outcomes = list(outcomes)
    ensure_dq_results(conn)
    rows = []
    for outcome in outcomes:
        for r in outcome.results:
            rows.append((
                run_id, outcome.suite, outcome.table, r.check, r.expectation_type, r.kind,
                ", ".join(r.columns) or None, r.severity, r.success, r.unexpected_count,
                r.element_count, json.dumps(r.observed_value, ensure_ascii=False, default=str),
                json.dumps(r.sample, ensure_ascii=False, default=str),
                r.describe(outcome.suite, outcome.table), outcome.evaluated_at,
            ))
    placeholders = ", ".join("?" for _ in _COLUMNS)
    conn.execute("begin transaction")
    try:
        for outcome in outcomes:
            conn.execute(
                "delete from audit.dq_results where run_id = ? and suite = ? and table_name = ?",
                [run_id, outcome.suite, outcome.table])
        if rows:
            conn.executemany(
                f"insert into audit.dq_results ({', '.join(_COLUMNS)}) values ({placeholders})",
                rows)
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    return len(rows)


def blocking_failures(conn: duckdb.DuckDBPyConnection, run_id: str) -> list[str]:
    """Messages of the failed critical checks persisted for ``run_id`` (empty: nothing blocks)."""
    ensure_dq_results(conn)
    rows = conn.execute(
        "select message from audit.dq_results "
        "where run_id = ? and severity = 'critical' and not success "
        "order by suite, table_name, expectation", [run_id]).fetchall()
    return [r[0] for r in rows]
