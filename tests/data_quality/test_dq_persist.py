"""Validation results persisted to audit.dq_results, and read by the cross-run gate."""

from __future__ import annotations

import json

from dq_tables import AS_OF, insert_rows, order_line

from data_quality.persist import persist_results
from data_quality.runner import validate_table
from ingestion.contracts import CONTRACTS
from publishing.gate import critical_failures


def _mart_orders(conn, rows) -> None:
    conn.execute("create schema if not exists marts")
    conn.execute("create or replace table marts.fct_order_lines as select * from raw.order_lines")
    insert_rows(conn, CONTRACTS["order_lines"], rows, table="marts.fct_order_lines")


def test_results_persisted_one_row_per_check_and_rerun_replaces(warehouse, dq):
    _mart_orders(warehouse, [order_line(0), order_line(0), order_line(1, ordered_qty=0)])
    orders = validate_table(warehouse, "marts.fct_order_lines", "fct_order_lines", AS_OF, dq=dq)
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
        "marts.fct_order_lines",
        "order_id, line_number",
        "critical",
        False,
        2,
    )
    assert {"order_id": "O00000", "line_number": 1} in json.loads(sample)
    assert evaluated_at.date() == AS_OF
    assert "2 of 3 rows failed" in message

    blocking = critical_failures(warehouse)
    assert len(blocking) == 2
    assert any("range:qty_positive on marts.fct_order_lines" in m for m in blocking)


def test_warnings_only_do_not_block(warehouse, dq):
    insert_rows(warehouse, CONTRACTS["order_lines"], [order_line(0)])
    outcome = validate_table(
        warehouse, "raw.order_lines", "raw_order_lines", AS_OF, dq=dq, previous_row_count=100
    )
    assert not outcome.success and not outcome.is_blocking
    persist_results(warehouse, [outcome], run_id="run-1")
    assert critical_failures(warehouse) == []
