"""Idempotency, corrected re-deliveries, snapshot replacement and ledger reconciliation."""

from __future__ import annotations

import pytest
from ingestion_files import (
    ORDER_LINES_HEADER,
    PRODUCTS_HEADER,
    order_line,
    scalar,
    write_csv,
    write_masters,
)

from ingestion.contracts import CONTRACTS
from ingestion.loader import load_all, load_source

MARCH = "sales/order_lines/order_lines_2024-03.csv"
APRIL = "sales/order_lines/order_lines_2024-04.csv"
MASTERS_AND_ORDERS = ["products", "customers", "order_lines"]


def _counts(conn) -> dict[str, int]:
    tables = [
        "raw.products",
        "raw.customers",
        "raw.order_lines",
        "audit.quarantine",
        "audit.load_ledger",
    ]
    return {t: scalar(conn, f"select count(*) from {t}") for t in tables}


def _reconciles(conn) -> bool:
    """Per ledger row read = loaded + quarantined; current rows match raw and quarantine."""
    unbalanced = scalar(
        conn,
        "select count(*) from audit.load_ledger where rows_read <> rows_loaded + rows_quarantined",
    )
    mismatched = scalar(
        conn,
        """
        select count(*) from audit.load_ledger as l
        where l.source = 'order_lines' and l.status = 'loaded' and (
            l.rows_loaded <> (select count(*) from raw.order_lines as r
                              where r._source_file = l.file_name)
            or l.rows_quarantined <> (select count(*) from audit.quarantine as q
                                      where q.source = l.source and q.file_name = l.file_name))
    """,
    )
    return unbalanced == 0 and mismatched == 0


def _setup(landing):
    write_masters(landing)
    write_csv(
        landing,
        MARCH,
        ORDER_LINES_HEADER,
        order_line("SO-1", 1),
        order_line("SO-1", 2, qty="-1"),
        order_line("SO-2", 1),
    )
    write_csv(
        landing,
        APRIL,
        ORDER_LINES_HEADER,
        order_line("SO-3", 1, order_date="2024-04-01"),
        order_line("SO-3", 2, qty="zz"),
    )


def test_loading_twice_changes_nothing(conn, landing):
    _setup(landing)
    first = load_all(conn, landing, MASTERS_AND_ORDERS)
    before = _counts(conn)
    second = load_all(conn, landing, MASTERS_AND_ORDERS)

    assert first.ok and second.ok
    assert before == _counts(conn)
    assert before["raw.order_lines"] == 3 and before["audit.quarantine"] == 2
    assert all(
        r.files_skipped == r.files_seen and r.rows_read == 0 for r in second.results.values()
    )
    assert _reconciles(conn)


def test_reconciliation_per_file(conn, landing):
    _setup(landing)
    outcome = load_all(conn, landing, MASTERS_AND_ORDERS)
    orders = outcome.results["order_lines"]
    assert [
        (f.file_name, f.rows_read, f.rows_loaded, f.rows_quarantined) for f in orders.files
    ] == [
        (MARCH, 3, 2, 1),
        (APRIL, 2, 1, 1),
    ]
    assert orders.metadata() == {
        "files_seen": 2,
        "files_loaded": 2,
        "files_skipped": 0,
        "files_rejected": 0,
        "rows_read": 5,
        "rows_loaded": 3,
        "rows_quarantined": 2,
    }
    assert _reconciles(conn)


def test_corrected_redelivery_replaces_the_files_rows(conn, landing):
    _setup(landing)
    load_all(conn, landing, MASTERS_AND_ORDERS)
    write_csv(
        landing,
        MARCH,
        ORDER_LINES_HEADER,
        order_line("SO-1", 1, qty="6"),
        order_line("SO-1", 2, qty="1"),
    )
    result = load_source(conn, CONTRACTS["order_lines"], landing)

    assert {f.file_name: f.status for f in result.files} == {MARCH: "loaded", APRIL: "skipped"}
    rows = conn.execute(
        "select order_id, line_number, ordered_qty from raw.order_lines "
        "where _source_file = ? order by 1, 2",
        [MARCH],
    ).fetchall()
    assert rows == [("SO-1", 1, 6), ("SO-1", 2, 1)]
    assert scalar(conn, "select count(*) from audit.quarantine where file_name = ?", [MARCH]) == 0
    assert conn.execute(
        "select status from audit.load_ledger where file_name = ? order by loaded_at, status",
        [MARCH],
    ).fetchall() == [("superseded",), ("loaded",)]
    assert _reconciles(conn)


def test_snapshot_source_replaces_the_whole_table(conn, landing):
    write_masters(landing)
    load_source(conn, CONTRACTS["products"], landing)
    write_csv(
        landing,
        "masters/products_2024-05.csv",
        PRODUCTS_HEADER,
        "P1,Widget v2,Home,Acme,11.00,6.00,2023-01-01,,L1,14",
        "P3,Gizmo,Garden,Acme,0,3.00,2024-05-01,,L2,10",
    )
    result = load_source(conn, CONTRACTS["products"], landing)

    assert {f.file_name: f.status for f in result.files} == {
        "masters/products.csv": "superseded",
        "masters/products_2024-05.csv": "loaded",
    }
    assert conn.execute("select sku, product_name, _source_file from raw.products").fetchall() == [
        ("P1", "Widget v2", "masters/products_2024-05.csv"),
    ]
    assert conn.execute("select rule from audit.quarantine").fetchall() == [("price_positive",)]
    statuses = conn.execute(
        "select file_name, status from audit.load_ledger "
        "where source = 'products' order by file_name"
    ).fetchall()
    assert statuses == [
        ("masters/products.csv", "superseded"),
        ("masters/products_2024-05.csv", "loaded"),
    ]
    assert load_source(conn, CONTRACTS["products"], landing).rows_read == 0


def test_identical_content_under_a_new_name_is_not_loaded_twice(conn, landing):
    _setup(landing)
    load_all(conn, landing, MASTERS_AND_ORDERS)
    (landing / "sales/order_lines/order_lines_2024-03-copy.csv").write_bytes(
        (landing / MARCH).read_bytes()
    )
    result = load_source(conn, CONTRACTS["order_lines"], landing)
    assert result.files_skipped == 3 and result.rows_read == 0
    assert scalar(conn, "select count(*) from raw.order_lines") == 3
    copy = "sales/order_lines/order_lines_2024-03-copy.csv"
    ledger = "select status, message from audit.load_ledger where file_name = ?"
    [(status, message)] = conn.execute(ledger, [copy]).fetchall()  # one row per file, copies too
    assert status == "duplicate" and MARCH in message
    load_source(conn, CONTRACTS["order_lines"], landing)
    assert len(conn.execute(ledger, [copy]).fetchall()) == 1


def test_redelivery_as_an_empty_file_clears_the_files_rows(conn, landing):
    _setup(landing)
    write_csv(landing, "sales/order_lines/order_lines_2024-05.csv", ORDER_LINES_HEADER)
    load_all(conn, landing, MASTERS_AND_ORDERS)
    write_csv(landing, MARCH, ORDER_LINES_HEADER)  # same bytes as the empty May file
    result = load_source(conn, CONTRACTS["order_lines"], landing)

    assert {f.file_name: f.status for f in result.files}[MARCH] == "empty"
    assert scalar(conn, "select count(*) from raw.order_lines where _source_file = ?", [MARCH]) == 0
    assert scalar(conn, "select count(*) from audit.quarantine where file_name = ?", [MARCH]) == 0
    assert _reconciles(conn)


def test_a_crash_mid_load_leaves_nothing_half_loaded(conn, landing, monkeypatch):
    _setup(landing)
    load_all(conn, landing, MASTERS_AND_ORDERS)
    before = _counts(conn)
    write_csv(landing, MARCH, ORDER_LINES_HEADER, order_line("SO-1", 1, qty="6"))

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("ingestion.batch.ledger.record", crash)
    with pytest.raises(RuntimeError, match="disk full"):
        load_source(conn, CONTRACTS["order_lines"], landing)
    monkeypatch.undo()

    assert _counts(conn) == before
    assert (
        scalar(conn, "select sum(ordered_qty) from raw.order_lines where _source_file = ?", [MARCH])
        == 10
    )
    load_source(conn, CONTRACTS["order_lines"], landing)
    assert (
        scalar(conn, "select sum(ordered_qty) from raw.order_lines where _source_file = ?", [MARCH])
        == 6
    )
