"""The cross-run gate reads the latest result of every critical check (GX and dbt) from ``audit.dq_results``."""

import datetime as dt

import duckdb
import pytest

from data_quality.dbt_results import DbtResult, dbt_results
from data_quality.outcome import ExpectationOutcome, ValidationOutcome
from data_quality.persist import persist_dbt_results, persist_results
from publishing import critical_failures


def _outcome(
    success: bool, at: dt.datetime, severity: str = "critical", rows: int = 2
) -> ValidationOutcome:
    check = ExpectationOutcome(
        check="unique_key(order_id, line_number)",
        kind="unique_key",
        expectation_type="expect_compound_columns_to_be_unique",
        columns=("order_id", "line_number"),
        severity=severity,
        success=success,
        unexpected_count=0 if success else rows,
        element_count=100,
        sample=[] if success else [{"order_id": "SO-1", "line_number": 1}] * rows,
    )
    return ValidationOutcome(
        suite="raw_order_lines",
        table="raw.order_lines",
        success=success,
        severity=severity,
        results=(check,),
        evaluated_at=at,
        row_count=100,
    )


@pytest.fixture
def conn():
    with duckdb.connect() as connection:
        yield connection


def test_no_results_table_blocks_nothing(conn):
    assert critical_failures(conn) == []


def test_latest_failure_blocks_and_names_check_table_rows(conn):
    persist_results(conn, [_outcome(True, dt.datetime(2026, 1, 10))], "run-1")
    persist_results(conn, [_outcome(False, dt.datetime(2026, 1, 11))], "run-2")
    [message] = critical_failures(conn)
    assert "raw_order_lines.unique_key(order_id, line_number)" in message
    assert "raw.order_lines" in message and "2 of 100 rows failed" in message and "SO-1" in message


def test_a_later_pass_clears_the_gate(conn):
    persist_results(conn, [_outcome(False, dt.datetime(2026, 1, 11))], "run-2")
    persist_results(conn, [_outcome(True, dt.datetime(2026, 1, 12))], "run-3")
    assert critical_failures(conn) == []


def test_warnings_never_block(conn):
    persist_results(conn, [_outcome(False, dt.datetime(2026, 1, 11), severity="warning")], "run-2")
    assert critical_failures(conn) == []


def _dbt_build(
    conn,
    run_id: str,
    at: dt.datetime,
    failing: dict[str, int],
    passing=(),
    full=True,
    suite="dbt_warehouse",
):
    """Persist one dbt build: failing tests (name -> failing rows), passing tests, and its invocation."""
    tests = [
        DbtResult(
            check=name,
            table="marts.dim_customer",
            kind="dbt_test",
            node_type="accepted_values",
            severity="critical",
            success=False,
            status="fail",
            failures=rows,
        )
        for name, rows in failing.items()
    ]
    tests += [
        DbtResult(
            check=name,
            table="marts.dim_customer",
            kind="dbt_test",
            node_type="not_null",
            severity="critical",
            success=True,
            status="pass",
            failures=0,
        )
        for name in passing
    ]
    invocation = dbt_results({"results": []}, {}, full_run=full)
    persist_dbt_results(conn, tests + invocation, run_id, suite, at)


def test_failed_dbt_test_blocks_until_the_next_full_build(conn):
    _dbt_build(conn, "run-1", dt.datetime(2026, 1, 11), {"accepted_values_tier": 3})
    [message] = critical_failures(conn)
    assert message == "dbt test accepted_values_tier on marts.dim_customer failed: 3 rows"
    _dbt_build(conn, "run-2", dt.datetime(2026, 1, 12), {}, passing=["accepted_values_tier"])
    assert critical_failures(conn) == []


def test_a_removed_test_no_longer_blocks_after_a_full_build(conn):
    _dbt_build(conn, "run-1", dt.datetime(2026, 1, 11), {"accepted_values_tier": 3})
    _dbt_build(conn, "run-2", dt.datetime(2026, 1, 12), {}, passing=["not_null_tier"])
    assert critical_failures(conn) == []


def test_a_subset_build_supersedes_only_what_it_ran(conn):
    _dbt_build(conn, "run-1", dt.datetime(2026, 1, 11), {"accepted_values_tier": 3, "unique_id": 1})
    _dbt_build(conn, "run-2", dt.datetime(2026, 1, 12), {}, passing=["unique_id"], full=False)
    [message] = critical_failures(conn)
    assert "accepted_values_tier" in message


def test_a_full_build_of_one_suite_leaves_other_suites_alone(conn):
    persist_results(conn, [_outcome(False, dt.datetime(2026, 1, 10))], "run-0")
    _dbt_build(
        conn, "run-1", dt.datetime(2026, 1, 11), {"accepted_values_plan": 2}, suite="dbt_planning"
    )
    _dbt_build(conn, "run-2", dt.datetime(2026, 1, 12), {})
    blocking = critical_failures(conn)
    assert len(blocking) == 2 and "accepted_values_plan" in blocking[0]
    assert len(critical_failures(conn, exclude_suites=["dbt_planning"])) == 1
