"""Validation results persisted to audit.dq_results, and the blocking gate."""

from __future__ import annotations

import json

import pytest
from dq_tables import AS_OF, insert_rows, order_line

from data_quality.outcome import DataQualityGateError, raise_if_blocking
from data_quality.persist import blocking_failures, persist_results
from data_quality.runner import validate_table
from ingestion.contracts import CONTRACTS


def test_results_persisted_one_row_per_check_and_rerun_replaces(warehouse, dq):
    insert_rows(
        warehouse,
        CONTRACTS["order_lines"],
        [order_line(0), order_line(0), order_line(1, sku="S404")],
    )
    orders = validate_table(warehouse, "raw.order_lines", "raw_order_lines", AS_OF, dq=dq)
    products = validate_table(warehouse, "raw.products", "raw_products", AS_OF, dq=dq)
    written = persist_results(warehouse, [orders, products], run_id="run-1")
    assert written == len(orders.results) + len(products.results)
    persist_results(warehouse, [orders, products], run_id="run-1")
    persist_results(warehouse, [products], run_id="run-2")
    counts = dict(
        warehouse.execute(
            "select run_id, count(*) from audit.dq_results group by run_id"
        ).fetchall()
    )
    assert counts == {"run-1": written, "run-2": len(products.results)}

    row = warehouse.execute(
        "select table_name, column_name, severity, success, unexpected_count, sample, "
        "evaluated_at, message from audit.dq_results "
        "where run_id = 'run-1' and expectation = 'unique_key(order_id, line_number)'"
    ).fetchone()
    table_name, column_name, severity, success, unexpected, sample, evaluated_at, message = row
    assert (table_name, column_name, severity, success, unexpected) == (
        "raw.order_lines",
        "order_id, line_number",
        "critical",
        False,
        2,
    )
    assert {"order_id": "O00000", "line_number": 1} in json.loads(sample)
    assert evaluated_at.date() == AS_OF
    assert "2 of 3 rows failed" in message

    blocking = blocking_failures(warehouse, "run-1")
    assert len(blocking) == 2
    assert any("reference(sku -> raw.products.sku)" in m and "S404" in m for m in blocking)
    assert blocking_failures(warehouse, "run-2") == []


def test_gate_raises_with_the_failure_message(warehouse, dq):
    insert_rows(warehouse, CONTRACTS["order_lines"], [order_line(0, ordered_qty=-3)])
    outcome = validate_table(warehouse, "raw.order_lines", "raw_order_lines", AS_OF, dq=dq)
    with pytest.raises(
        DataQualityGateError, match=r"range:qty_positive on raw.order_lines: 1 of 1"
    ):
        raise_if_blocking([outcome])


def test_gate_passes_on_warnings_only(warehouse, dq):
    insert_rows(warehouse, CONTRACTS["order_lines"], [order_line(0)])
    outcome = validate_table(
        warehouse, "raw.order_lines", "raw_order_lines", AS_OF, dq=dq, previous_row_count=100
    )
    assert not outcome.success
    raise_if_blocking([outcome])
