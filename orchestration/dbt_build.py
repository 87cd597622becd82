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
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

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
PARTIAL_PARSE_FILE = "partial_parse.msgpack"
KEEP_TARGETS = 8
"""dbt target folders (artifacts and dbt's own log, ~14 MB a build) kept under
``$SOP_HOME/dbt/target``; older ones are deleted, so the home does not grow per build."""


def dbt_target_path(home: Path, context: dg.AssetExecutionContext) -> Path:
    """A fresh target folder for one invocation under the home, never inside the checkout,
    seeded with the last build's partial parse (:func:`seed_partial_parse`)."""
    root = home / "dbt" / "target"
    root.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    target = root / f"{stamp}-{context.op_execution_context.op.name}-{context.run.run_id[:8]}"
    seed_partial_parse(root, target)
    return target


def seed_partial_parse(root: Path, target: Path) -> Path | None:
    """Copy the newest ``partial_parse.msgpack`` under ``root`` into the new ``target``.

    dbt keeps its parsed project in the target folder, and a fresh folder per invocation
    made every build parse the whole project again (8-12 s of a 36 s daily build). dbt
    checks the copy itself (its version, vars, profile and every file's checksum) and
    parses again only what changed, or all when the vars differ. Returns the copy's source.
    """
    seeds = sorted(root.glob(f"*/{PARTIAL_PARSE_FILE}"), reverse=True)
    for seed in seeds:
        target.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(seed, target / PARTIAL_PARSE_FILE)
        except OSError:  # pruned meanwhile by another run: try the next newest
            continue
        return seed
    return None


def prune_targets(home: Path, keep: int = KEEP_TARGETS) -> list[Path]:
    """Delete all but the ``keep`` newest target folders (by name: they start with a timestamp)."""
    root = home / "dbt" / "target"
    folders = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    stale = folders[:-keep] if keep else folders
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    return stale


def is_transient(error_text: str) -> bool:
    """Whether a failed dbt invocation may pass when run again unchanged."""
    return any(marker in error_text for marker in TRANSIENT_ERRORS)


def failure_description(failures: list[DbtResult]) -> str:
    """One line: the first failures (model, test, failing rows, sample) and how many more."""
    shown = "; ".join(f.describe() for f in failures[:_DESCRIBED_FAILURES])
    more = len(failures) - _DESCRIBED_FAILURES
    return shown + (f"; and {more} more" if more > 0 else "")


def build_and_record(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: Warehouse,
    suite: str,
    args: Sequence[str] = (),
) -> Iterator:
    """``dbt build`` of the asset's selection; its results go to ``audit.dq_results`` under ``suite``.

    Raises ``dg.RetryRequested`` on a transient error (results are recorded
    only by the last attempt), else ``dg.Failure`` (no retry) naming each
    failed model or test, its failing rows and a sample.
    """
    home = warehouse.home.root
    invocation = dbt.cli(
        ["build", *args],
        context=context,
        raise_on_error=False,
        target_path=dbt_target_path(home, context),
    )
    yield from invocation.stream()
    error = invocation.get_error()
    error_text = str(error) if error else None
    try:
        run_results = invocation.get_artifact("run_results.json")
    except FileNotFoundError:
        run_results = None
    results = dbt_results(
        run_results,
        invocation.manifest,
        invocation_error=error_text,
        full_run=not context.is_subset,
    )
    transient = error_text is not None and is_transient(
        error_text + " ".join(r.dbt_message or "" for r in results)
    )
    if transient and context.retry_number < TRANSIENT_RETRIES:
        context.log.warning(f"transient dbt failure, retrying: {one_line(error_text)}")
        raise dg.RetryRequested(
            max_retries=TRANSIENT_RETRIES, seconds_to_wait=TRANSIENT_WAIT_SECONDS
        ) from error
    with warehouse.connect() as conn:
        results = with_samples(conn, results)
        persist_dbt_results(conn, results, context.run.run_id, suite, dt.datetime.now())
    prune_targets(home)
    for warned in (r for r in results if not r.success and not r.is_blocking):
        context.log.warning(warned.describe())
    if error is None:
        return
    failures = [r for r in results if r.is_blocking]
    raise dg.Failure(
        description=failure_description(failures),
        metadata={
            FAILURE_LINES: dg.MetadataValue.json([f.describe() for f in failures]),
            "dbt_error": dg.MetadataValue.text(one_line(error_text, 2000)),
        },
        allow_retries=False,
    ) from error
