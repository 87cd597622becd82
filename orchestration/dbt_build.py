"""One ``dbt build`` inside a dbt asset: stream its events, record its results, fail once or retry.

Every test and built node of the build lands in ``audit.dq_results`` under
the dbt suite of the asset (``dbt_warehouse``, ``dbt_planning``), read from
the invocation's ``run_results.json``: the artifact lists every node, also
tests on sources and models that failed to build, which the event stream
does not report as checks. A failed build fails the step at once with one
line per failure (a test failure or SQL error fails again on retry); only a
transient error (the DuckDB file lock held by another process) is retried.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

import dagster as dg
from dagster_dbt import DbtCliResource

from data_quality.dbt_results import DbtResult, dbt_results, one_line, with_samples
from data_quality.persist import persist_dbt_results
from orchestration.failures import FAILURE_LINES
from orchestration.resources import Warehouse

WAREHOUSE_SUITE = "dbt_warehouse"
PLANNING_SUITE = "dbt_planning"
"""Suites of the two builds in ``audit.dq_results``. The planning build and the
forecasts upstream of it do not wait for ``dbt_planning``: rebuilding it is what clears it."""
TRANSIENT_ERRORS = ("Could not set lock on file", "Conflicting lock is held")
"""dbt error texts worth a retry: another process held the warehouse for a moment."""
TRANSIENT_RETRIES = 2
TRANSIENT_WAIT_SECONDS = 30
_DESCRIBED_FAILURES = 3


def is_transient(error_text: str) -> bool:
    """Whether a failed dbt invocation may pass when run again unchanged."""
    return any(marker in error_text for marker in TRANSIENT_ERRORS)


def failure_description(failures: list[DbtResult]) -> str:
    """One line: the first failures (model, test, failing rows, sample) and how many more."""
    shown = "; ".join(f.describe() for f in failures[:_DESCRIBED_FAILURES])
    more = len(failures) - _DESCRIBED_FAILURES
    return shown + (f"; and {more} more" if more > 0 else "")


def build_and_record(context: dg.AssetExecutionContext, dbt: DbtCliResource,
                     warehouse: Warehouse, suite: str, args: Sequence[str] = ()) -> Iterator:
    """``dbt build`` of the asset's selection; its results go to ``audit.dq_results`` under ``suite``.

    Raises ``dg.RetryRequested`` on a transient error (results are recorded
    only by the last attempt), else ``dg.Failure`` (no retry) naming each
    failed model or test, its failing rows and a sample.
    """
    invocation = dbt.cli(["build", *args], context=context, raise_on_error=False)
    yield from invocation.stream()
    error = invocation.get_error()
    error_text = str(error) if error else None
    try:
        run_results = invocation.get_artifact("run_results.json")
    except FileNotFoundError:
        run_results = None
    results = dbt_results(run_results, invocation.manifest, invocation_error=error_text,
                          full_run=not context.is_subset)
    transient = error and is_transient(error_text + " ".join(r.dbt_message or "" for r in results))
    if transient and context.retry_number < TRANSIENT_RETRIES:
        context.log.warning(f"transient dbt failure, retrying: {one_line(error_text)}")
        raise dg.RetryRequested(max_retries=TRANSIENT_RETRIES,
                                seconds_to_wait=TRANSIENT_WAIT_SECONDS) from error
    with warehouse.connect() as conn:
        results = with_samples(conn, results)
        persist_dbt_results(conn, results, context.run.run_id, suite, dt.datetime.now())
    for warned in (r for r in results if not r.success and not r.is_blocking):
        context.log.warning(warned.describe())
    if error is None:
        return
    failures = [r for r in results if r.is_blocking]
    raise dg.Failure(
        description=failure_description(failures),
        metadata={FAILURE_LINES: dg.MetadataValue.json([f.describe() for f in failures]),
                  "dbt_error": dg.MetadataValue.text(one_line(error_text, 2000))},
        allow_retries=False,
    ) from error
