"""dbt build results as data-quality results: one per test, per built node, and per invocation.

A ``dbt build`` reports every test and every model in its ``run_results.json``;
this module turns that artifact (with the manifest, for each test's model and
declared severity) into :class:`DbtResult` rows for ``audit.dq_results``, so
the cross-run gate treats a failed dbt test, or a model that failed to build,
like a failed Great Expectations check. Imports no Dagster.

Severity follows dbt's: a test of severity ``error`` is ``critical``, one of
severity ``warn`` (or an error test that only reached its ``warn_if``) is a
``warning``. A model, seed or snapshot that fails to build, a test that could
not run, and an invocation that failed without a failed node are critical.
Skipped nodes are not recorded: the failure that made dbt skip them is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import duckdb

from data_quality.outcome import SAMPLE_SIZE, to_jsonable
from data_quality.severity import CRITICAL, WARNING, Severity

INVOCATION_CHECK = "dbt build"
"""Check name of the one row per invocation; a full invocation supersedes its suite's earlier rows."""
FULL_RUN_KIND = "dbt_invocation"
SUBSET_RUN_KIND = "dbt_invocation_subset"
INVOCATION_TABLE = "(dbt project)"

_BUILT = ("model", "seed", "snapshot")
_PASSED = {"pass", "success", "no-op"}
_SAMPLE_SQL = "select * from (\n{compiled}\n) as failing_rows limit {limit}"
_MESSAGE_CHARS = 300


@dataclass(frozen=True)
class DbtResult:
    """One dbt node's result in a build: a test, a built model (seed, snapshot) or the invocation.

    ``check`` is the test's name (``not_null_fct_order_lines_sku``), ``build`` for
    a built node and ``dbt build`` for the invocation; ``table`` is the model the
    test tests (``marts.fct_order_lines``). ``failures`` is dbt's failing row
    count; ``compiled_sql`` the test's query, rerun with a limit for a sample.
    """

    check: str
    table: str
    kind: str
    node_type: str
    severity: Severity
    success: bool
    status: str
    column: str | None = None
    failures: int | None = None
    dbt_message: str | None = None
    compiled_sql: str | None = field(default=None, repr=False)
    sample: list = field(default_factory=list)

    @property
    def is_blocking(self) -> bool:
        return self.severity == CRITICAL and not self.success

    def describe(self) -> str:
        """One line: what failed, on which table, how many rows and a sample."""
        if self.kind == "dbt_model":
            head = f"dbt {self.node_type} {self.table}"
            return (
                f"{head} built" if self.success else f"{head} failed to build: {self.dbt_message}"
            )
        if self.kind in (FULL_RUN_KIND, SUBSET_RUN_KIND):
            return f"{self.check} {'completed' if self.success else 'failed'}: {self.dbt_message}"
        head = f"dbt test {self.check} on {self.table}"
        if self.success:
            return f"{head} passed"
        if self.status == "error":
            return f"{head} could not run: {self.dbt_message}"
        rows = (
            "" if self.failures is None else f": {self.failures:,} row{'s' * (self.failures != 1)}"
        )
        sample = f" (e.g. {format_sample_row(self.sample[0])})" if self.sample else ""
        level = "warned" if self.severity == WARNING else "failed"
        return f"{head} {level}{rows}{sample}"


def format_sample_row(row: Any) -> str:
    """``sku=NULL order_id=SO1`` for a dict row, the value itself otherwise."""
    if isinstance(row, Mapping):
        return " ".join(f"{k}={'NULL' if v is None else v}" for k, v in row.items())
    return "NULL" if row is None else str(row)


def one_line(text: str | None, limit: int = _MESSAGE_CHARS) -> str:
    """Whitespace collapsed to one line, cut at ``limit`` characters."""
    flat = re.sub(r"\s+", " ", text or "").strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _relation(manifest: Mapping[str, Any], unique_id: str) -> str | None:
    node = manifest.get("nodes", {}).get(unique_id) or manifest.get("sources", {}).get(unique_id)
    if not node:
        return None
    name = node.get("identifier") if unique_id.startswith("source.") else node.get("alias")
    return f"{node['schema']}.{name or node['name']}"


def _tested_table(manifest: Mapping[str, Any], node: Mapping[str, Any]) -> str:
    """The model (or source) a test tests: its attached node, else its first model/source dependency."""
    candidates = [node.get("attached_node"), *node.get("depends_on", {}).get("nodes", [])]
    for unique_id in candidates:
        relation = _relation(manifest, unique_id) if unique_id else None
        if relation:
            return relation
    return INVOCATION_TABLE


def _test_result(result: Mapping[str, Any], manifest: Mapping[str, Any]) -> DbtResult:
    unique_id = result["unique_id"]
    is_unit = unique_id.startswith("unit_test.")
    node = manifest.get("unit_tests" if is_unit else "nodes", {}).get(unique_id, {})
    status = result["status"]
    declared = str(node.get("config", {}).get("severity") or "error").lower()
    severity = (
        CRITICAL if status == "error" or (declared == "error" and status != "warn") else WARNING
    )
    metadata = node.get("test_metadata") or {}
    return DbtResult(
        check=node.get("name") or unique_id.split(".")[2],
        table=_tested_table(manifest, node),
        kind="dbt_unit_test" if is_unit else "dbt_test",
        node_type="unit_test" if is_unit else metadata.get("name") or "singular",
        severity=severity,
        success=status in _PASSED,
        status=status,
        column=metadata.get("kwargs", {}).get("column_name") or node.get("column_name"),
        failures=result.get("failures"),
        dbt_message=None if status in _PASSED else one_line(result.get("message")),
        compiled_sql=None if is_unit else result.get("compiled_code"),
    )


def _built_result(result: Mapping[str, Any], manifest: Mapping[str, Any]) -> DbtResult:
    unique_id = result["unique_id"]
    status = result["status"]
    return DbtResult(
        check="build",
        table=_relation(manifest, unique_id) or unique_id,
        kind="dbt_model",
        node_type=unique_id.split(".")[0],
        severity=CRITICAL,
        success=status in _PASSED,
        status=status,
        dbt_message=None if status in _PASSED else one_line(result.get("message")),
    )


def dbt_results(
    run_results: Mapping[str, Any] | None,
    manifest: Mapping[str, Any],
    *,
    invocation_error: str | None = None,
    full_run: bool = True,
) -> list[DbtResult]:
    """Rows of one ``dbt build``: every test and built node it ran, then the invocation itself.

    Parameters
    ----------
    run_results : mapping or None
        The invocation's ``run_results.json``; ``None`` when dbt wrote none
        (it failed before running any node).
    manifest : mapping
        The project's ``manifest.json``.
    invocation_error : str or None
        The invocation's error text when dbt exited non-zero.
    full_run : bool
        Whether the invocation ran its whole selection (not a subset): its
        invocation row then supersedes the suite's earlier rows at the gate.
    """
    rows = []
    for result in (run_results or {}).get("results", []):
        resource_type = result["unique_id"].split(".")[0]
        if result["status"] == "skipped":
            continue
        if resource_type in ("test", "unit_test"):
            rows.append(_test_result(result, manifest))
        elif resource_type in _BUILT:
            rows.append(_built_result(result, manifest))
    failed = [r for r in rows if not r.success]
    unexplained = invocation_error is not None and not any(r.is_blocking for r in rows)
    if unexplained:
        summary = one_line(invocation_error)
    else:
        tests = sum(r.kind != "dbt_model" for r in rows)
        summary = (
            f"{len(rows) - tests} nodes built, {tests} tests run, {len(failed)} failed or warned"
        )
    rows.append(
        DbtResult(
            check=INVOCATION_CHECK if full_run else f"{INVOCATION_CHECK} (subset)",
            table=INVOCATION_TABLE,
            kind=FULL_RUN_KIND if full_run else SUBSET_RUN_KIND,
            node_type="invocation",
            severity=CRITICAL,
            success=not unexplained,
            status="error" if unexplained else "success",
            dbt_message=summary,
        )
    )
    return rows


def with_samples(
    conn: duckdb.DuckDBPyConnection, rows: Sequence[DbtResult], limit: int = SAMPLE_SIZE
) -> list[DbtResult]:
    """Failed data tests with up to ``limit`` of the rows their compiled query returns.

    The test's own query, rerun with a limit after the build: cheap (only
    failed tests) and no failures tables left in the warehouse, as dbt's
    ``store_failures`` would. A query that cannot be rerun leaves no sample.
    """
    sampled = []
    for row in rows:
        if not row.success and row.status == "fail" and row.compiled_sql:
            try:
                frame = conn.execute(
                    _SAMPLE_SQL.format(compiled=row.compiled_sql, limit=int(limit))
                ).df()
                row = replace(row, sample=to_jsonable(frame.to_dict(orient="records")))
            except duckdb.Error:
                pass
        sampled.append(row)
    return sampled


def observed(row: DbtResult) -> str:
    """The row's ``observed_value``: dbt's status and message, as JSON text."""
    return json.dumps({"status": row.status, "dbt_message": row.dbt_message}, ensure_ascii=False)
