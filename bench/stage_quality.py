"""The data-quality stage of the bench: the daily Great Expectations suites, results persisted.

The same suites the pipeline's asset checks run on the raw tables and the
demand marts (``orchestration/checks.py``), validated as of the demo's
"today" and written to ``audit.dq_results``, which the alerts mart and the
report read.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import duckdb

RUN_ID = "bench"


def checked_tables() -> dict[str, str]:
    """Suite name -> table of the daily checks (raw tables and the demand marts)."""
    from ingestion.contracts import CONTRACTS

    return {
        **{f"raw_{name}": c.raw_table for name, c in CONTRACTS.items()},
        "fct_order_lines": "marts.fct_order_lines",
        "fct_demand_monthly": "marts.fct_demand_monthly",
    }


def quality(ctx: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    """Validate every checked table; a suite that raises counts as a failed critical check."""
    from data_quality.persist import persist_results
    from data_quality.runner import DataQualityContext, validate_table

    as_of = dt.date.fromisoformat(ctx["scale"]["as_of"])
    started = time.perf_counter()
    dq = DataQualityContext()
    by_suite, failed, errors, outcomes = {}, [], {}, []
    with duckdb.connect(str(Path(ctx["home"]) / "warehouse.duckdb")) as conn:
        for suite, table in checked_tables().items():
            t0 = time.perf_counter()
            try:
                outcome = validate_table(
                    conn,
                    table,
                    suite,
                    as_of,
                    evaluated_at=dt.datetime.combine(as_of, dt.time.min),
                    dq=dq,
                )
            except Exception as exc:  # noqa: BLE001 - reported like the asset check does
                errors[suite] = f"{type(exc).__name__}: {exc}"[:300]
                continue
            by_suite[suite] = time.perf_counter() - t0
            outcomes.append(outcome)
            if not outcome.success:
                failed.append(suite)
        rows = persist_results(conn, outcomes, RUN_ID)
    return time.perf_counter() - started, {
        "seconds_by_suite": by_suite,
        "failed_suites": failed,
        "suite_errors": errors,
        "results_written": rows,
    }
