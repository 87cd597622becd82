"""Run a suite on a DuckDB table: pull the columns it reads into pandas, validate, report.

One straight path, :func:`validate_table`: the suite's declaration
(:mod:`data_quality.catalog`), the table's loads (:mod:`data_quality.volume`),
the main batch (schema, key, rows, freshness: :func:`data_quality.suites.build_suite`),
the newest load's batch (volume) and the window's dates (completeness), each
validated by GX and turned into outcomes (:mod:`data_quality.results`).

GX runs over pandas frames in one ephemeral (in-memory) context per run,
owned by :class:`DataQualityContext`: nothing is written to disk and GX over
SQLAlchemy/duckdb-engine is avoided. The caller passes the run's ``as_of``
date; nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
import time

import duckdb
import great_expectations as gx
import pandas as pd
from great_expectations.data_context.types.base import ProgressBarsConfig

from data_quality.catalog import get_suite
from data_quality.completeness import expected_days, history_start
from data_quality.outcome import SAMPLE_SIZE, ExpectationOutcome, ValidationOutcome
from data_quality.results import to_outcomes
from data_quality.severity import CRITICAL, WARNING
from data_quality.suites import (
    SOURCE_FILE,
    Suite,
    build_completeness_expectation,
    build_suite,
    build_volume_expectation,
    text_column,
)
from data_quality.volume import DEFAULT_MIN_RATIO, load_volumes, volume_floor
from ingestion.checks import Pattern
from ingestion.sql import qi, qt


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


def _where_file(source_file: str | None) -> tuple[str, list]:
    if source_file is None:
        return "", []
    return f" where {qi(SOURCE_FILE)} = ?", [source_file]


def pull_frame(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    suite: Suite,
    present: set[str],
    source_file: str | None,
) -> pd.DataFrame:
    """Read the columns the suite reads (and the text of pattern-checked ones) into pandas.

    The freshness column is cast to TIMESTAMP so it compares with the as-of bound;
    ``source_file`` restricts a snapshot table to its newest load. Repetitive text
    columns (ids, skus, regions) become categoricals: the same checks, a fraction
    of the memory of one Python string per row.
    """
    fresh = suite.freshness_column
    select = []
    for column in suite.columns:
        if column in present:
            cast = f"cast({qi(column)} as timestamp)" if column == fresh else qi(column)
            select.append(f"{cast} as {qi(column)}")
    for check in suite.checks:
        if isinstance(check, Pattern) and check.column in present:
            # A midnight TIMESTAMP (ml.* months written from pandas) reads as its ISO date.
            text = f"regexp_replace(cast({qi(check.column)} as varchar), ' 00:00:00$', '')"
            select.append(f"{text} as {qi(text_column(check))}")
    where, params = _where_file(source_file)
    sql = f"select {', '.join(select) or '1 as _no_columns'} from {qt(table)}{where}"
    return _as_categories(conn.execute(sql, params).df())


def _as_categories(frame: pd.DataFrame, max_unique_share: float = 0.5) -> pd.DataFrame:
    """Text columns with at most ``max_unique_share`` distinct values per row as categoricals."""
    for column in frame.columns:
        text = frame[column].dtype == object and len(frame) > 0
        if text and frame[column].nunique(dropna=True) <= max_unique_share * len(frame):
            frame[column] = frame[column].astype("category")
    return frame


def _completeness(
    conn, table: str, suite: Suite, present: set[str], as_of: dt.date, dq: DataQualityContext
) -> list[ExpectationOutcome]:
    """The completeness check of a daily source (:mod:`data_quality.completeness`), if it applies."""
    column = suite.event_date_column
    if not suite.check_completeness or column not in present:
        return []
    rows = conn.execute(
        f"select cast({qi(column)} as date), count(*) from {qt(table)} "
        f"where {qi(column)} >= ? and {qi(column)} < ? group by 1",
        [history_start(as_of), as_of],
    ).fetchall()
    dates = {day: int(n) for day, n in rows}
    expected = expected_days(dates, as_of)
    if expected is None:
        return []
    window = sorted(
        d.isoformat() for d in dates if expected.window_start <= d <= expected.window_end
    )
    result = dq.validate(
        f"{suite.name}__completeness",
        pd.DataFrame({column: window}),
        build_completeness_expectation(suite, expected),
        [],
    )
    return list(to_outcomes(result))


def validate_table(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    suite_name: str,
    as_of: dt.date,
    *,
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
    suite = get_suite(suite_name)
    dq = dq or DataQualityContext()
    present = table_columns(conn, table)
    if not present:
        raise ValueError(f"{suite.name}: table {table} does not exist")

    volumes = load_volumes(conn, table, present, suite.event_date_column)
    newest_file = volumes[-1].source_file if volumes else None
    snapshot_file = newest_file if suite.snapshot and SOURCE_FILE in present else None
    frame = pull_frame(conn, table, suite, present, snapshot_file)
    index_columns = [c for c in suite.key if c in frame.columns]

    started = time.perf_counter()
    main = dq.validate(suite.name, frame, build_suite(suite, as_of=as_of), index_columns)
    results = list(to_outcomes(main))
    floor = (
        volume_floor(volumes, previous_row_count=previous_row_count, min_ratio=min_volume_ratio)
        if suite.check_volume
        else None
    )
    if floor is not None:
        load = frame
        if floor.source_file is not None and snapshot_file is None:
            where, params = _where_file(floor.source_file)
            load = conn.execute(f"select {qi(SOURCE_FILE)} from {qt(table)}{where}", params).df()
        expectation = build_volume_expectation(suite, floor.min_rows, floor.rule, floor.max_rows)
        results += to_outcomes(dq.validate(f"{suite.name}__volume", load, expectation, []))
    results += _completeness(conn, table, suite, present, as_of, dq)
    seconds = time.perf_counter() - started

    return ValidationOutcome(
        suite=suite.name,
        table=table,
        success=all(r.success for r in results),
        severity=CRITICAL if any(r.severity == CRITICAL for r in results) else WARNING,
        results=tuple(results),
        evaluated_at=evaluated_at or dt.datetime.combine(as_of, dt.time.min),
        row_count=len(frame),
        seconds=seconds,
    )
