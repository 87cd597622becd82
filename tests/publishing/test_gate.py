"""The cross-run gate reads the latest result of every critical check from ``audit.dq_results``."""

import datetime as dt

import duckdb
import pytest

from data_quality.outcome import ExpectationOutcome, ValidationOutcome
from data_quality.persist import persist_results
from publishing import critical_failures


def _outcome(success: bool, at: dt.datetime, severity: str = "critical", rows: int = 2) -> ValidationOutcome:
    check = ExpectationOutcome(
        check="unique_key(order_id, line_number)", kind="unique_key",
        expectation_type="expect_compound_columns_to_be_unique", columns=("order_id", "line_number"),
        severity=severity, success=success, unexpected_count=0 if success else rows, element_count=100,
        sample=[] if success else [{"order_id": "SO-1", "line_number": 1}] * rows)
    return ValidationOutcome(suite="raw_order_lines", table="raw.order_lines", success=success,
                             severity=severity, results=(check,), evaluated_at=at, row_count=100)


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
