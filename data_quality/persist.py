"""Keep validation results as data: ``audit.dq_results``, one row per check per validation.

Great Expectations outcomes and dbt build results (``data_quality.dbt_results``)
share the table, so one gate and one report read both.

Re-persisting the same run replaces that run's rows for the same suite and
table, so a retried run never duplicates results.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path

import duckdb

from data_quality.dbt_results import DbtResult, observed
from data_quality.outcome import ValidationOutcome

DQ_RESULTS_TABLE = "audit.dq_results"
_DDL = (Path(__file__).parent / "sql" / "dq_results.sql").read_text()
_COLUMNS = (
    "run_id",
    "suite",
    "table_name",
    "expectation",
    "expectation_type",
    "check_kind",
    "column_name",
    "severity",
    "success",
    "unexpected_count",
    "element_count",
    "observed_value",
    "sample",
    "message",
    "evaluated_at",
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
            rows.append(
                (
                    run_id,
                    outcome.suite,
                    outcome.table,
                    r.check,
                    r.expectation_type,
                    r.kind,
                    ", ".join(r.columns) or None,
                    r.severity,
                    r.success,
                    r.unexpected_count,
                    r.element_count,
                    json.dumps(r.observed_value, ensure_ascii=False, default=str),
                    json.dumps(r.sample, ensure_ascii=False, default=str),
                    r.describe(outcome.suite, outcome.table),
                    outcome.evaluated_at,
                )
            )
    _replace(
        conn,
        [
            ("run_id = ? and suite = ? and table_name = ?", [run_id, o.suite, o.table])
            for o in outcomes
        ],
        rows,
    )
    return len(rows)


def persist_dbt_results(
    conn: duckdb.DuckDBPyConnection,
    results: Iterable[DbtResult],
    run_id: str,
    suite: str,
    evaluated_at: dt.datetime,
) -> int:
    """Write one ``dbt build``'s results (``data_quality.dbt_results``) under ``run_id`` and ``suite``.

    Every row of one build carries the same ``evaluated_at``, so the build's
    invocation row marks when it superseded the suite's earlier rows. A retry
    of the same run replaces the run's rows of ``suite``. Returns the rows written.
    """
    ensure_dq_results(conn)
    rows = [
        (
            run_id,
            suite,
            r.table,
            r.check,
            r.node_type,
            r.kind,
            r.column,
            r.severity,
            r.success,
            r.failures,
            None,
            observed(r),
            json.dumps(r.sample, ensure_ascii=False, default=str),
            r.describe(),
            evaluated_at,
        )
        for r in results
    ]
    _replace(conn, [("run_id = ? and suite = ?", [run_id, suite])], rows)
    return len(rows)


def _replace(
    conn: duckdb.DuckDBPyConnection, deletes: list[tuple[str, list]], rows: list[tuple]
) -> None:
    """In one transaction: delete the rows matching each ``(where, params)``, insert ``rows``."""
    placeholders = ", ".join("?" for _ in _COLUMNS)
    conn.execute("begin transaction")
    try:
        for where, params in deletes:
            conn.execute(f"delete from audit.dq_results where {where}", params)
        if rows:
            conn.executemany(
                f"insert into audit.dq_results ({', '.join(_COLUMNS)}) values ({placeholders})",
                rows,
            )
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
