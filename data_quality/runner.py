"""Run a suite on a DuckDB table: pull the needed columns into pandas, validate, report.

GX runs over pandas frames in one ephemeral (in-memory) context per run,
owned by ``DataQualityContext``: nothing is written to disk and GX over
SQLAlchemy/duckdb-engine is avoided. The caller passes the run's ``as_of``
date; nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Collection, Mapping

import duckdb
import great_expectations as gx
import pandas as pd
from great_expectations.data_context.types.base import ProgressBarsConfig

from data_quality.catalog import get_spec
from data_quality.completeness import expected_days, history_start
from data_quality.outcome import SAMPLE_SIZE, ExpectationOutcome, ValidationOutcome
from data_quality.persist import persist_results  # noqa: F401  (public API: runner.persist_results)
from data_quality.results import to_outcomes
from data_quality.severity import CRITICAL, WARNING
from data_quality.specs import TableSpec
from data_quality.suites import (
    LOADED_AT,
    SOURCE_FILE,
    build_completeness_expectation,
    build_suite,
    build_volume_expectation,
    freshness_column,
    suite_columns,
)
from data_quality.volume import (
    DEFAULT_MIN_RATIO,
    load_volumes,
    quote_column,
    quote_table,
    volume_floor,
)


class DataQualityContext:
    """Validates frames through GX's pandas data source in an ephemeral (in-memory) GX context.

    A GX context keeps every batch it has validated (and so every frame) for
    its lifetime; on the order-line tables that is hundreds of MiB per suite.
    So each validation runs in the current context and then swaps in a new,
    empty one (about 10 ms once GX is imported): a run's memory peak is its
    largest suite, not the sum of all of them. A context must exist before
    suites are built, hence one from the start.
    """

    def __init__(self) -> None:
        self._context = self._new_context()

    @staticmethod
    def _new_context():
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        return context

    def validate(self, name: str, frame: pd.DataFrame, expect, index_columns: list[str]):
        """Validate ``frame`` against a suite or one expectation; returns GX's result object."""
        try:
            asset = self._context.data_sources.add_pandas(f"dq_{name}").add_dataframe_asset(name)
            batch = asset.add_batch_definition_whole_dataframe("whole").get_batch(
                batch_parameters={"dataframe": frame}
            )
            result_format = {"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_SIZE}
            if index_columns:
                result_format["unexpected_index_column_names"] = index_columns
            return batch.validate(expect, result_format=result_format)
        finally:
            self._context = self._new_context()


def table_columns(conn: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    """Column names of ``schema.name``; empty when the table does not exist."""
    schema, _, name = table.rpartition(".")
    rows = conn.execute(
        "select column_name from information_schema.columns "
        "where table_schema = ? and table_name = ?",
        [schema or "main", name],
    ).fetchall()
    return {r[0] for r in rows}


def fetch_reference_values(
    conn: duckdb.DuckDBPyConnection, spec: TableSpec, given: Mapping[str, Collection] | None
) -> dict[str, Collection]:
    """Known values per referencing column: ``given`` where passed, else read from the target table."""
    values = dict(given or {})
    for ref in spec.references:
        if ref.column not in values:
            known = set(ref.extra_values)
            tables = [ref.target_table] + [
                t for t in ref.also_tables if ref.target_column in table_columns(conn, t)
            ]
            for table in tables:
                rows = conn.execute(
                    f"select distinct {quote_column(ref.target_column)} from {quote_table(table)} "
                    f"where {quote_column(ref.target_column)} is not null"
                ).fetchall()
                known |= {r[0] for r in rows}
            values[ref.column] = known
    return values


def pull_frame(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    spec: TableSpec,
    present: set[str],
    source_file: str | None,
) -> pd.DataFrame:
    """Read the columns the suite needs (and the rule flags DuckDB computes) into pandas.

    The freshness column is cast to TIMESTAMP so it compares with the as-of bound;
    ``source_file`` restricts a snapshot table to its newest load. Repetitive text
    columns (ids, skus, regions) become categoricals: the same checks, a fraction
    of the memory of one Python string per row.
    """
    fresh = freshness_column(spec)
    select = []
    for column in suite_columns(spec):
        if column not in present:
            continue
        quoted = quote_column(column)
        select.append(f"cast({quoted} as timestamp) as {quoted}" if column == fresh else quoted)
    for rule in spec.sql_rules:
        if set(rule.columns) <= present:
            select.append(f"({rule.predicate}) as {quote_column(rule.flag_column)}")
    sql = f"select {', '.join(select) or '1 as _no_columns'} from {quote_table(table)}"
    if source_file is not None:
        frame = conn.execute(sql + f" where {quote_column(SOURCE_FILE)} = ?", [source_file]).df()
    else:
        frame = conn.execute(sql).df()
    return _as_categories(frame)


def _as_categories(frame: pd.DataFrame, max_unique_share: float = 0.5) -> pd.DataFrame:
    """Text columns with at most ``max_unique_share`` distinct values per row as categoricals."""
    for column in frame.columns:
        text = frame[column].dtype == object and len(frame) > 0
        if text and frame[column].nunique(dropna=True) <= max_unique_share * len(frame):
            frame[column] = frame[column].astype("category")
    return frame


def newest_load_frame(
    conn: duckdb.DuckDBPyConnection, table: str, source_file: str
) -> pd.DataFrame:
    """The rows of one load (only their ``_source_file``): what the volume check counts."""
    return conn.execute(
        f"select {quote_column(SOURCE_FILE)} from {quote_table(table)} "
        f"where {quote_column(SOURCE_FILE)} = ?",
        [source_file],
    ).df()


def event_dates(
    conn: duckdb.DuckDBPyConnection, table: str, column: str, start: dt.date, end: dt.date
) -> dict[dt.date, int]:
    """Rows per event date of ``table`` in [start, end)."""
    quoted = quote_column(column)
    rows = conn.execute(
        f"select cast({quoted} as date), count(*) from {quote_table(table)} "
        f"where {quoted} >= ? and {quoted} < ? group by 1",
        [start, end],
    ).fetchall()
    return {day: int(n) for day, n in rows}


def _completeness(
    conn, table: str, spec: TableSpec, present: set[str], as_of: dt.date, dq: DataQualityContext
) -> list[ExpectationOutcome]:
    """The completeness check of a daily source (``data_quality.completeness``), if it applies."""
    column = spec.event_date_column
    if not spec.check_completeness or column not in present:
        return []
    dates = event_dates(conn, table, column, history_start(as_of), as_of)
    expected = expected_days(dates, as_of)
    if expected is None:
        return []
    window = sorted(
        d.isoformat() for d in dates if expected.window_start <= d <= expected.window_end
    )
    frame = pd.DataFrame({column: window})
    result = dq.validate(
        f"{spec.suite_name}__completeness",
        frame,
        build_completeness_expectation(spec, expected),
        [],
    )
    return list(to_outcomes(result))


def validate_table(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    suite_name: str,
    as_of: dt.date,
    *,
    reference_values: Mapping[str, Collection] | None = None,
    previous_row_count: int | None = None,
    min_volume_ratio: float = DEFAULT_MIN_RATIO,
    evaluated_at: dt.datetime | None = None,
    dq: DataQualityContext | None = None,
) -> ValidationOutcome:
    """Validate ``table`` with suite ``suite_name`` as of ``as_of``.

    Parameters
    ----------
    conn : duckdb.DuckDBPyConnection
        Warehouse connection (read access suffices).
    table : str
        ``schema.name`` of the table to validate.
    suite_name : str
        A catalogued suite (``data_quality.catalog.SUITES``).
    as_of : date
        The run's as-of date; freshness is measured against it.
    reference_values : mapping, optional
        Known values per referencing column; read from the referenced tables when absent.
    previous_row_count : int, optional
        Row count of the previous load, when the table itself does not keep it.
    min_volume_ratio : float
        Volume floor as a share of the previous loads (see ``data_quality.volume``).
    evaluated_at : datetime, optional
        Timestamp recorded with the results; defaults to midnight of ``as_of``.
    dq : DataQualityContext, optional
        The run's GX context; a new one is made when absent.

    Returns
    -------
    ValidationOutcome
        Per-check results, severity, and the message a blocked run shows.
    """
    spec = get_spec(suite_name)
    dq = dq or DataQualityContext()
    evaluated_at = evaluated_at or dt.datetime.combine(as_of, dt.time.min)
    present = table_columns(conn, table)
    if not present:
        raise ValueError(f"{suite_name}: table {table} does not exist")

    floor = None
    newest_file = None
    if spec.check_volume or spec.snapshot:
        volumes = load_volumes(conn, table, present, spec.event_date_column)
        if spec.check_volume:
            floor = volume_floor(
                volumes, previous_row_count=previous_row_count, min_ratio=min_volume_ratio
            )
        newest_file = volumes[-1].source_file if volumes else None
    snapshot_file = newest_file if spec.snapshot and SOURCE_FILE in present else None

    frame = pull_frame(conn, table, spec, present, snapshot_file)
    suite = build_suite(
        spec, as_of=as_of, reference_values=fetch_reference_values(conn, spec, reference_values)
    )
    index_columns = [c for c in spec.key if c in frame.columns]

    started = time.perf_counter()
    results = list(to_outcomes(dq.validate(spec.suite_name, frame, suite, index_columns)))
    if floor is not None:
        load = frame
        if floor.source_file is not None and snapshot_file is None:
            load = newest_load_frame(conn, table, floor.source_file)
        expectation = build_volume_expectation(spec, floor.min_rows, floor.rule, floor.max_rows)
        result = dq.validate(f"{spec.suite_name}__volume", load, expectation, [])
        results += to_outcomes(result)
    results += _completeness(conn, table, spec, present, as_of, dq)
    seconds = time.perf_counter() - started

    return ValidationOutcome(
        suite=spec.suite_name,
        table=table,
        success=all(r.success for r in results),
        severity=CRITICAL if any(r.severity == CRITICAL for r in results) else WARNING,
        results=tuple(results),
        evaluated_at=evaluated_at,
        row_count=len(frame),
        seconds=seconds,
    )


__all__ = [
    "LOADED_AT",
    "DataQualityContext",
    "ExpectationOutcome",
    "ValidationOutcome",
    "persist_results",
    "validate_table",
]
