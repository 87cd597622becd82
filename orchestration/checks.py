"""Asset checks: the Great Expectations suites of ``data_quality`` on the raw tables and key marts.

One check per checked table, named ``gx_<suite>``. Every suite can hold critical
checks (schema, freshness; marts: keys and row checks), so every check is
``blocking``: when a critical check fails, the check reports severity ERROR
and downstream assets of the same run do not execute. Warnings (volume, late
finance files) report severity WARN and block nothing. Every result is
persisted to ``audit.dq_results`` under the run id, as are the dbt builds'
tests (``orchestration.dbt_build``); later runs (plans, report, publish) ask
:func:`require_quality_gate` first. The suite of a source the company does not
send (``sources.provided``, read at run time through the ``sop_home`` resource:
the Definitions are built before any home is known) passes without evaluating
anything and says so.

The as-of date for freshness comes from the run tag ``sop/as_of`` (set by the
CLI and the schedules), else from the ``run_clock`` resource, else today. A
check on a planning-cycle partition measures freshness as of the end of
that cycle's month. ``data_quality.runner`` imports Great Expectations, which
takes seconds, so it is imported inside the check, never at module import.
"""

import datetime as dt
from collections.abc import Mapping
from functools import cache

import dagster as dg

from ingestion.contracts import CONTRACTS
from orchestration.failures import FAILURE_LINES
from orchestration.resources import WAREHOUSE_POOL, SopHome, Warehouse

AS_OF_TAG = "sop/as_of"
PARTITION_TAG = "dagster/partition"

RAW_SUITE_SOURCES: dict[str, str] = {f"raw_{name}": name for name in CONTRACTS}
"""Suite name -> the source whose raw table it checks (only for sources the company may omit)."""

CHECKED_TABLES: dict[str, tuple[dg.AssetKey, str]] = {
    **{f"raw_{name}": (dg.AssetKey(["raw", name]), c.raw_table) for name, c in CONTRACTS.items()},
    "fct_order_lines": (dg.AssetKey(["marts", "fct_order_lines"]), "marts.fct_order_lines"),
    "fct_demand_monthly": (
        dg.AssetKey(["marts", "fct_demand_monthly"]),
        "marts.fct_demand_monthly",
    ),
    "forecast": (dg.AssetKey(["ml", "forecast"]), "ml.forecast"),
}
"""Suite name -> (checked asset, table)."""


class RunClock(dg.ConfigurableResource):
    """The run's "today" for freshness checks: ``as_of`` (ISO date), empty meaning the real today."""

    as_of: str = ""

    def today(self, tags: Mapping[str, str]) -> dt.date:
        """The run tag ``sop/as_of`` if set, else ``as_of``, else today's date."""
        text = tags.get(AS_OF_TAG) or self.as_of
        return dt.date.fromisoformat(text) if text else dt.date.today()


def check_as_of(tags: Mapping[str, str], clock: RunClock) -> dt.date:
    """As-of date of a check: the day after a planning cycle's month in a partitioned run, else the clock."""
    partition = tags.get(PARTITION_TAG)
    if partition:
        month = dt.date.fromisoformat(partition)
        return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return clock.today(tags)


@cache
def _dq_context():
    from data_quality.runner import DataQualityContext

    return DataQualityContext()


def _could_not_run(suite: str, table: str, as_of: dt.date, error: Exception):
    """A failed, critical outcome for a suite that raised, so the gate sees it too."""
    from data_quality.outcome import ExpectationOutcome, ValidationOutcome

    failure = ExpectationOutcome(
        check="suite_evaluated",
        kind="schema",
        expectation_type="validate_table",
        columns=(),
        severity="critical",
        success=False,
        error=f"{type(error).__name__}: {error}",
    )
    return ValidationOutcome(
        suite=suite,
        table=table,
        success=False,
        severity="critical",
        results=(failure,),
        evaluated_at=dt.datetime.now(),
        row_count=0,
    )


def check_result_metadata(outcome, as_of: dt.date) -> dict[str, dg.MetadataValue]:
    """Metadata naming the checks, the table, the failing rows and a sample."""
    failures = sorted(outcome.failures, key=lambda r: r.severity != "critical")
    return {
        "suite": dg.MetadataValue.text(outcome.suite),
        "table": dg.MetadataValue.text(outcome.table),
        "as_of": dg.MetadataValue.text(as_of.isoformat()),
        "rows_validated": dg.MetadataValue.int(outcome.row_count),
        "checks_run": dg.MetadataValue.int(len(outcome.results)),
        "failed_checks": dg.MetadataValue.json(
            [
                {
                    "check": r.check,
                    "severity": r.severity,
                    "failing_rows": r.unexpected_count,
                    "observed": r.observed_value,
                    "error": r.error,
                }
                for r in failures
            ]
        ),
        "failing_rows": dg.MetadataValue.int(sum(r.unexpected_count or 0 for r in failures)),
        "sample": dg.MetadataValue.json(failures[0].sample if failures else []),
        "message": dg.MetadataValue.md("```\n" + outcome.message + "\n```"),
    }


def not_provided_result(suite: str, source: str, table: str) -> dg.AssetCheckResult:
    """The result of a suite on a source the company does not send: passed, nothing evaluated.

    Its raw table is empty by design, so schema, keys and freshness have nothing
    to say about it; no row goes to ``audit.dq_results``.
    """
    return dg.AssetCheckResult(
        passed=True,
        severity=dg.AssetCheckSeverity.WARN,
        description=f"not evaluated: source {source!r} is not provided (sources.provided)",
        metadata={
            "suite": dg.MetadataValue.text(suite),
            "table": dg.MetadataValue.text(table),
            "provided": dg.MetadataValue.bool(False),
            "checks_run": dg.MetadataValue.int(0),
        },
    )


def _build_check(suite: str, asset_key: dg.AssetKey, table: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=asset_key,
        name=f"gx_{suite}",
        blocking=True,
        pool=WAREHOUSE_POOL,
        description=f"Great Expectations suite `{suite}` on `{table}`; critical failures block "
        "downstream assets, every result goes to audit.dq_results.",
    )
    def _check(
        context: dg.AssetCheckExecutionContext,
        warehouse: Warehouse,
        run_clock: RunClock,
        sop_home: SopHome,
    ) -> dg.AssetCheckResult:
        from data_quality.persist import persist_results
        from data_quality.runner import validate_table

        source = RAW_SUITE_SOURCES.get(suite)
        if source is not None and source not in sop_home.provided_sources:
            return not_provided_result(suite, source, table)

        tags = context.run.tags
        as_of = check_as_of(tags, run_clock)
        with warehouse.connect() as conn:
            try:
                outcome = validate_table(
                    conn, table, suite, as_of, evaluated_at=dt.datetime.now(), dq=_dq_context()
                )
            except Exception as error:  # a suite that cannot run must not pass
                outcome = _could_not_run(suite, table, as_of, error)
            persist_results(conn, [outcome], context.run.run_id)
        if not outcome.success:
            context.log.warning(outcome.message)
        return dg.AssetCheckResult(
            passed=outcome.success,
            severity=dg.AssetCheckSeverity.ERROR
            if outcome.is_blocking
            else dg.AssetCheckSeverity.WARN,
            metadata=check_result_metadata(outcome, as_of),
            description=outcome.message.splitlines()[0],
        )

    return _check


def require_quality_gate(conn, exclude_suites: tuple[str, ...] = ()) -> None:
    """Raise ``dg.Failure`` when the latest result of a critical check failed (any earlier run).

    Called first by the forecast, plan, report and publish assets: the failure
    names each check (Great Expectations or dbt), table, failing row count and
    a sample. ``exclude_suites``: suites the caller rebuilds itself and so
    must not wait for (see ``orchestration.assets.warehouse``).
    """
    from publishing.gate import critical_failures

    failures = critical_failures(conn, exclude_suites)
    if failures:
        raise dg.Failure(
            description="blocked by failed critical data-quality checks:\n" + "\n".join(failures),
            metadata={
                "failed_checks": dg.MetadataValue.json(failures),
                FAILURE_LINES: dg.MetadataValue.json([f"blocked by {f}" for f in failures]),
            },
            allow_retries=False,
        )


quality_checks = [_build_check(suite, key, table) for suite, (key, table) in CHECKED_TABLES.items()]
