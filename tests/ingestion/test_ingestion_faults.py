"""Each fault kind ends in quarantine (row faults) or a rejected file (structural faults)."""

from __future__ import annotations

import json

import pytest
from ingestion_files import (
    ORDER_LINES_HEADER,
    order_line,
    scalar,
    write_csv,
    write_masters,
    write_text,
)

from ingestion import batch
from ingestion.contracts import CONTRACTS
from ingestion.errors import ContractViolation, MissingDependencyError
from ingestion.loader import load_all, load_source

ORDER_LINES = CONTRACTS["order_lines"]
MARCH = "sales/order_lines/order_lines_2024-03.csv"
APRIL = "sales/order_lines/order_lines_2024-04.csv"


def _load_masters(conn, landing):
    write_masters(landing)
    load_source(conn, CONTRACTS["products"], landing)
    load_source(conn, CONTRACTS["customers"], landing)


def _quarantine(conn):
    return conn.execute(
        "select file_name, row_number, rule, reason, raw_record from audit.quarantine "
        "order by file_name, row_number"
    ).fetchall()


def test_row_faults_are_quarantined_with_readable_reasons(conn, landing):
    _load_masters(conn, landing)
    write_csv(
        landing,
        MARCH,
        ORDER_LINES_HEADER,
        order_line("SO-1", 1),
        order_line("SO-1", 2, qty="abc"),
        order_line("SO-2", 1, customer="C9999"),
        order_line("SO-3", 1, qty="-4"),
        order_line("SO-4", 1, order_date="2024-13-45"),
        order_line("SO-5", 1, qty="2.5"),
        order_line("SO-6", 1, sku="P404"),
        order_line("SO-6", 2, order_date="01/03/24"),
        "SO-7,1,2024-03-01,2024-12-31,C1,P1,5,10.00,0.1",
        ",1,2024-03-01,2024-12-31,C1,P1,5,10.00,0.1,9.00",
        order_line("SO-8", 1),
    )
    result = load_source(conn, ORDER_LINES, landing)

    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (11, 2, 9)
    rows = {row: (rule, reason) for _, row, rule, reason, _ in _quarantine(conn)}
    assert rows[2] == ("type", "ordered_qty: 'abc' is not a valid INTEGER")
    assert rows[3] == ("reference", "unknown customer_id 'C9999' (not in customers)")
    assert rows[4][0] == "qty_positive" and "ordered_qty='-4'" in rows[4][1]
    assert rows[5][0] == "type"
    assert "order_date: '2024-13-45' is not a valid DATE (YYYY-MM-DD)" in rows[5][1]
    assert rows[6] == ("type", "ordered_qty: '2.5' is not a valid INTEGER")
    assert rows[7] == ("reference", "unknown sku 'P404' (not in products)")
    assert rows[8] == ("type", "order_date: '01/03/24' is not a valid DATE (YYYY-MM-DD)")
    assert rows[9][0] == "malformed_row" and "Expected Number of Columns: 10 Found: 9" in rows[9][1]
    assert rows[10] == ("required", "order_id: required value is empty")
    loaded = conn.execute("select order_id, _row_number from raw.order_lines order by 1").fetchall()
    assert loaded == [("SO-1", 1), ("SO-8", 11)]


def test_quarantine_keeps_the_original_text(conn, landing):
    _load_masters(conn, landing)
    write_csv(landing, MARCH, ORDER_LINES_HEADER, order_line("SO-1", 1, qty="1,5"))
    path = landing / MARCH
    path.write_text(path.read_text().replace(",1,5,", ',"1,5",'))
    load_source(conn, ORDER_LINES, landing)
    ((_, _, rule, _, raw_record),) = _quarantine(conn)
    assert rule == "type"
    assert json.loads(raw_record)["ordered_qty"] == "1,5"


def test_duplicate_keys_within_and_across_files(conn, landing):
    _load_masters(conn, landing)
    write_csv(
        landing,
        MARCH,
        ORDER_LINES_HEADER,
        order_line("SO-1", 1),
        order_line("SO-1", 2),
        order_line("SO-1", 2, qty="7"),
    )
    load_source(conn, ORDER_LINES, landing)
    write_csv(
        landing, APRIL, ORDER_LINES_HEADER, order_line("SO-1", 2, qty="9"), order_line("SO-9", 1)
    )
    load_source(conn, ORDER_LINES, landing)

    reasons = [(f, r, reason) for f, r, _, reason, _ in _quarantine(conn)]
    assert reasons == [
        (
            MARCH,
            3,
            f"duplicate key (order_id, line_number)=('SO-1', 2), first seen in row 2 of {MARCH}",
        ),
        (
            APRIL,
            1,
            f"duplicate key (order_id, line_number)=('SO-1', 2), already loaded from {MARCH}",
        ),
    ]
    assert scalar(conn, "select count(*) from raw.order_lines") == 3


def test_a_bad_row_does_not_make_its_good_twin_a_duplicate(conn, landing):
    _load_masters(conn, landing)
    write_csv(
        landing,
        MARCH,
        ORDER_LINES_HEADER,
        order_line("SO-1", 1, qty="x"),
        order_line("SO-1", 1, qty="3"),
    )
    load_source(conn, ORDER_LINES, landing)
    assert conn.execute("select ordered_qty, _row_number from raw.order_lines").fetchall() == [
        (3, 2)
    ]
    assert [rule for _, _, rule, _, _ in _quarantine(conn)] == ["type"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            ORDER_LINES_HEADER.replace("ordered_qty", "order_qty"),
            "missing contract column(s): ordered_qty; found unexpected column(s): order_qty (renamed?)",
        ),
        (ORDER_LINES_HEADER.replace(",net_price", ""), "missing contract column(s): net_price"),
    ],
    ids=["renamed_column", "missing_column"],
)
def test_structural_break_rejects_only_that_file(conn, landing, header, expected):
    _load_masters(conn, landing)
    write_csv(landing, MARCH, ORDER_LINES_HEADER, order_line("SO-1", 1))
    write_csv(landing, APRIL, header, "x")

    with pytest.raises(ContractViolation) as caught:
        load_source(conn, ORDER_LINES, landing)

    assert APRIL in str(caught.value) and expected in str(caught.value)
    assert caught.value.result.rows_loaded == 1
    assert scalar(conn, "select count(*) from raw.order_lines") == 1
    ledger = dict(
        conn.execute(
            "select file_name, status || ':' || coalesce(message, '') from audit.load_ledger "
            "where source = 'order_lines'"
        ).fetchall()
    )
    assert ledger == {MARCH: f"loaded:{ABSENT_NOTE}", APRIL: f"rejected:{expected}"}
    # The same broken file fails again on the next run, without a second ledger row.
    with pytest.raises(ContractViolation):
        load_source(conn, ORDER_LINES, landing)
    assert scalar(conn, "select count(*) from audit.load_ledger where source = 'order_lines'") == 2


ABSENT_NOTE = "absent optional column(s) loaded as empty: region, channel"


def test_extra_columns_are_ignored_and_noted(conn, landing):
    _load_masters(conn, landing)
    write_csv(
        landing, MARCH, "comment," + ORDER_LINES_HEADER.upper(), "hello," + order_line("SO-1", 1)
    )
    result = load_source(conn, ORDER_LINES, landing)
    assert result.rows_loaded == 1
    assert result.files[0].message == f"{ABSENT_NOTE}; ignored unexpected column(s): comment"
    assert scalar(conn, "select order_id from raw.order_lines") == "SO-1"


@pytest.mark.parametrize(
    "content", ["", ORDER_LINES_HEADER + "\n"], ids=["zero_bytes", "header_only"]
)
def test_empty_file_is_ledgered_without_error(conn, landing, content):
    _load_masters(conn, landing)
    write_text(landing, MARCH, content)
    result = load_source(conn, ORDER_LINES, landing)
    assert [(f.status, f.rows_read) for f in result.files] == [("empty", 0)]
    assert conn.execute(
        "select rows_read, rows_loaded, rows_quarantined, status from audit.load_ledger "
        "where source = 'order_lines'"
    ).fetchall() == [(0, 0, 0, "empty")]


def test_unreadable_file_is_rejected(conn, landing):
    _load_masters(conn, landing)
    (landing / MARCH).parent.mkdir(parents=True)
    (landing / MARCH).write_bytes(b"\xff\xfe\x00garbage\x00\xff")
    write_csv(landing, APRIL, ORDER_LINES_HEADER, order_line("SO-1", 1))
    with pytest.raises(ContractViolation, match="order_lines_2024-03.csv: unreadable header"):
        load_source(conn, ORDER_LINES, landing)
    assert scalar(conn, "select count(*) from raw.order_lines") == 1


def test_late_file_loads_after_a_first_load(conn, landing):
    _load_masters(conn, landing)
    write_csv(landing, APRIL, ORDER_LINES_HEADER, order_line("SO-2", 1, order_date="2024-04-02"))
    load_source(conn, ORDER_LINES, landing)
    write_csv(landing, MARCH, ORDER_LINES_HEADER, order_line("SO-1", 1))
    result = load_source(conn, ORDER_LINES, landing)
    assert {f.file_name: f.status for f in result.files} == {APRIL: "skipped", MARCH: "loaded"}
    assert scalar(conn, "select count(*) from raw.order_lines") == 2


def test_missing_reference_source_raises_and_load_all_carries_on(conn, landing):
    write_csv(landing, MARCH, ORDER_LINES_HEADER, order_line("SO-1", 1))
    with pytest.raises(MissingDependencyError, match="customers, products"):
        load_source(conn, ORDER_LINES, landing)

    write_masters(landing)
    write_csv(landing, "masters/customers.csv", "id,name", "C1,x")
    outcome = load_all(conn, landing, ["order_lines", "customers", "products"])
    assert sorted(outcome.results) == ["customers", "products"]
    assert isinstance(outcome.errors["customers"], ContractViolation)
    assert isinstance(outcome.errors["order_lines"], MissingDependencyError)
    assert outcome.results["products"].rows_loaded == 4


def test_row_numbers_stay_exact_after_malformed_rows_in_several_files(conn, landing):
    _load_masters(conn, landing)
    write_csv(
        landing,
        MARCH,
        ORDER_LINES_HEADER,
        order_line("SO-1", 1),
        "SO-1,2,too,few",
        order_line("SO-1", 3),
    )
    write_csv(
        landing,
        APRIL,
        ORDER_LINES_HEADER,
        "a,b,c,d,e,f,g,h,i,j,k",
        order_line("SO-2", 1),
        order_line("SO-2", 2),
    )
    path = landing / APRIL
    path.write_bytes(path.read_bytes() + b"SO-2,3,2024-03-01,2024-12-31,C1,P1,5,10.00,0.1,9\xff\n")
    result = load_source(conn, ORDER_LINES, landing)

    assert [(f.rows_read, f.rows_loaded, f.rows_quarantined) for f in result.files] == [
        (3, 2, 1),
        (4, 2, 2),
    ]
    loaded = conn.execute(
        "select _source_file, _row_number, order_id, line_number from raw.order_lines order by 1, 2"
    ).fetchall()
    assert loaded == [
        (MARCH, 1, "SO-1", 1),
        (MARCH, 3, "SO-1", 3),
        (APRIL, 2, "SO-2", 1),
        (APRIL, 3, "SO-2", 2),
    ]
    bad = conn.execute(
        "select file_name, row_number, rule from audit.quarantine order by 1, 2"
    ).fetchall()
    assert bad == [
        (MARCH, 2, "malformed_row"),
        (APRIL, 1, "malformed_row"),
        (APRIL, 4, "malformed_row"),
    ]


def test_many_small_files_are_read_in_one_copying_pass(conn, landing):
    _load_masters(conn, landing)
    for day in range(1, 71):
        write_csv(
            landing,
            f"sales/order_lines/order_lines_2024-03-{day:03d}.csv",
            ORDER_LINES_HEADER,
            order_line(f"SO-{day}", 1),
            order_line(f"SO-{day}", 2, qty="0"),
        )
    result = load_source(conn, ORDER_LINES, landing)
    assert (result.files_loaded, result.rows_loaded, result.rows_quarantined) == (70, 70, 70)
    assert (
        scalar(
            conn, "select count(distinct _source_file) from raw.order_lines where _row_number = 1"
        )
        == 70
    )


@pytest.mark.parametrize("small_bytes", [batch.SMALL_BATCH_BYTES, 0])
def test_keys_and_references_are_checked_at_the_edges_of_the_new_files_range(
    conn, landing, monkeypatch, small_bytes
):
    """The loaded rows read for the duplicate-key and reference checks are limited to the new
    batch's min..max: a duplicate or a reference at either end of that range (and in any row
    group of a history of several) is still found, and a key outside it is new. The same
    with the references read whole (a batch above ``SMALL_BATCH_BYTES``)."""
    monkeypatch.setattr(batch, "SMALL_BATCH_BYTES", small_bytes)
    _load_masters(conn, landing)
    old = [order_line(f"SO-{i:06d}", 1 + i % 3) for i in range(130_000)]
    write_csv(landing, MARCH, ORDER_LINES_HEADER, *old)
    load_source(conn, ORDER_LINES, landing)
    write_csv(
        landing,
        APRIL,
        ORDER_LINES_HEADER,
        order_line("SO-000000", 1, sku="P1"),  # duplicate at the low end, first row group
        order_line("SO-000000", 9, sku="P4"),  # same order id, new line; sku at the high end
        order_line("SO-129998", 3, sku="P2"),  # duplicate at the high end, last row group
        order_line("SO-999999", 1, sku="P0"),  # unknown sku at the low end
        order_line("SO-500000", 1, sku="P25"),  # unknown sku inside the range
    )
    result = load_source(conn, ORDER_LINES, landing)

    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (5, 1, 4)
    reasons = [(r, rule, reason) for f, r, rule, reason, _ in _quarantine(conn) if f == APRIL]
    assert reasons == [
        (
            1,
            "duplicate_key",
            f"duplicate key (order_id, line_number)=('SO-000000', 1), already loaded from {MARCH}",
        ),
        (
            3,
            "duplicate_key",
            f"duplicate key (order_id, line_number)=('SO-129998', 3), already loaded from {MARCH}",
        ),
        (4, "reference", "unknown sku 'P0' (not in products)"),
        (5, "reference", "unknown sku 'P25' (not in products)"),
    ]
    loaded = conn.execute(
        "select order_id, line_number from raw.order_lines where _source_file = ? order by 1, 2",
        [APRIL],
    ).fetchall()
    assert loaded == [("SO-000000", 9)]
