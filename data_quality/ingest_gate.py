"""Rejected landing files as critical results in ``audit.dq_results``, so the quality gate sees them.

A failed ingest asset alone does not stop a later publish: the plans and the
publish step run in other jobs and would read the stale warehouse. So every
load of a source records, per file it rejected (missing column, unreadable,
structural failure), one failed critical result of check
``ingest_structural`` (suite ``ingest_<source>``, expectation
``ingest_structural(<file>)``). A later load of the source that no longer
rejects that file records a passing result for it, which clears the gate
(``publishing.gate`` reads the latest result of each check).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb

from data_quality.persist import ensure_dq_results
from data_quality.severity import CRITICAL
from ingestion.results import FileLoadResult

CHECK = "ingest_structural"

# One row of audit.dq_results, in the column order of the insert below.
_ResultRow = tuple[
    str,  # run_id
    str,  # suite
    str,  # table_name
    str,  # expectation
    str,  # expectation_type
    str,  # check_kind
    str | None,  # column_name
    str,  # severity
    bool,  # success
    int,  # unexpected_count
    int | None,  # element_count
    None,  # observed_value
    None,  # sample
    str,  # message
    dt.datetime,  # evaluated_at
]


def suite_name(source: str) -> str:
    """The suite the ingest results of ``source`` are recorded under."""
    return f"ingest_{source}"


def _expectation(file_name: str) -> str:
    return f"{CHECK}({file_name})"


def _failing_files(conn: duckdb.DuckDBPyConnection, source: str) -> set[str]:
    """Expectations of ``source`` whose latest recorded result failed."""
    rows = conn.execute(
        "select expectation from audit.dq_results where suite = ? "
        "qualify row_number() over (partition by expectation order by evaluated_at desc, "
        "run_id desc) = 1 and not success",
        [suite_name(source)],
    ).fetchall()
    return {r[0] for r in rows}


def record_ingest_results(
    conn: duckdb.DuckDBPyConnection,
    source: str,
    files: Sequence[FileLoadResult],
    run_id: str,
    evaluated_at: dt.datetime,
) -> int:
    """Record the rejected files of one load of ``source``; clear the ones no longer rejected.

    Returns the number of rows written (failures plus cleared earlier failures).
    """
    ensure_dq_results(conn)
    table = f"raw.{source}"
    rejected = {f.file_name: f for f in files if f.status == "rejected"}
    rows: list[_ResultRow] = [
        (
            run_id,
            suite_name(source),
            table,
            _expectation(name),
            CHECK,
            "ingest",
            None,
            CRITICAL,
            False,
            f.rows_quarantined,
            f.rows_read,
            None,
            None,
            f"{suite_name(source)}: file {name} rejected: {f.message}",
            evaluated_at,
        )
        for name, f in rejected.items()
    ]
    failing = _failing_files(conn, source) - {_expectation(n) for n in rejected}
    rows += [
        (
            run_id,
            suite_name(source),
            table,
            expectation,
            CHECK,
            "ingest",
            None,
            CRITICAL,
            True,
            0,
            None,
            None,
            None,
            f"{suite_name(source)}: {expectation} no longer rejected",
            evaluated_at,
        )
        for expectation in sorted(failing)
    ]
    if rows:
        conn.executemany(
            "insert into audit.dq_results (run_id, suite, table_name, expectation, "
            "expectation_type, check_kind, column_name, severity, success, unexpected_count, "
            "element_count, observed_value, sample, message, evaluated_at) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    return len(rows)
