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
from data_quality.outcome import SAMPLE_SIZE, ExpectationOutcome, ValidationOutcome
from data_quality.persist import persist_results  # noqa: F401  (public API: runner.persist_results)
from data_quality.results import to_outcomes
from data_quality.severity import CRITICAL, WARNING
from data_quality.specs import TableSpec
from data_quality.suites import (
    LOADED_AT,
    SOURCE_FILE,
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
    """One ephemeral GX context with a pandas data source, reused for every suite of a run."""

    def __init__(self) -> None:
        self._context = gx.get_context(mode="ephemeral")
        self._context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self._source = self._context.data_sources.add_pandas("dq_frames")
        self._batch_definitions: dict[str, object] = {}

    def _batch_definition(self, name: str):
        if name not in self._batch_definitions:
            asset = self._source.add_dataframe_asset(name)
            self._batch_definitions[name] = asset.add_batch_definition_whole_dataframe("whole")
        return self._batch_definitions[name]

    def validate(self, name: str, frame: pd.DataFrame, expect, index_columns: list[str]):
        """Validate ``frame`` against a suite or one expectation; returns GX's result object."""
        batch = self._batch_definition(name).get_batch(batch_parameters={"dataframe": frame})
        result_format = {"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_SIZE}
        if index_columns:
            result_format["unexpected_index_column_names"] = index_columns
        return batch.validate(expect, result_format=result_format)


def table_columns(conn: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    """Column names of ``schema.name``; empty when the table does not exist."""
    schema, _, name = table.rpartition(".")
    rows = conn.execute(
        "select column_name from information_schema.columns "
        "where table_schema = ? and table_name = ?", [schema or "main", name]).fetchall()
    return {r[0] for r in rows}


def fetch_reference_values(
    conn: duckdb.DuckDBPyConnection, spec: TableSpec, given: Mapping[str, Collection] | None
) -> dict[str, Collection]:
    """Known values per referencing column: ``given`` where passed, else read from the target table."""
    values = dict(given or {})
    for ref in spec.references:
        if ref.column not in values:
            rows = conn.execute(
                f"select distinct {quote_column(ref.target_column)} from {quote_table(ref.target_table)} "
                f"where {quote_column(ref.target_column)} is not null").fetchall()
            values[ref.column] = {r[0] for r in rows}
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
    ``source_file`` restricts a snapshot table to its newest load.
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
    if SOURCE_FILE in present and SOURCE_FILE not in suite_columns(spec):
        select.append(quote_column(SOURCE_FILE))
    sql = f"select {', '.join(select) or '1 as _no_columns'} from {quote_table(table)}"
    if source_file is not None:
        return conn.execute(sql + f" where {quote_column(SOURCE_FILE)} = ?", [source_file]).df()
    return conn.execute(sql).df()


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
            floor = volume_floor(volumes, previous_row_count=previous_row_count,
                                 min_ratio=min_volume_ratio)
        newest_file = volumes[-1].source_file if volumes else None
    snapshot_file = newest_file if spec.snapshot and SOURCE_FILE in present else None

    frame = pull_frame(conn, table, spec, present, snapshot_file)
    suite = build_suite(spec, as_of=as_of,
                        reference_values=fetch_reference_values(conn, spec, reference_values))
    index_columns = [c for c in spec.key if c in frame.columns]

    started = time.perf_counter()
    results = list(to_outcomes(dq.validate(spec.suite_name, frame, suite, index_columns)))
    if floor is not None:
        load = frame
        if floor.source_file is not None and snapshot_file is None:
            load = frame.loc[frame[SOURCE_FILE] == floor.source_file, [SOURCE_FILE]]
        expectation = build_volume_expectation(spec, floor.min_rows, floor.rule)
        result = dq.validate(f"{spec.suite_name}__volume", load, expectation, [])
        results += to_outcomes(result)
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
