"""A file whose rows (nearly) all fail the same check is rejected as a whole, loudly."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from ingestion_files import ORDER_LINES_HEADER, load_masters, order_line, scalar, write_csv

from ingestion.contracts import CONTRACTS
from ingestion.errors import ContractViolation
from ingestion.loader import load_source

ORDER_LINES = CONTRACTS["order_lines"]
DAY1 = "sales/order_lines/order_lines_2024-03-01.csv"
DAY2 = "sales/order_lines/order_lines_2024-03-02.csv"


def _lines(n: int, prefix: str, qty: str = "5", bad_qty_every: int = 0) -> list[str]:
    return [
        order_line(f"{prefix}-{i}", 1, qty="n/a" if bad_qty_every and i % bad_qty_every else qty)
        for i in range(n)
    ]


def _ledger(conn, name):
    return conn.execute(
        "select status, rows_read, rows_loaded, rows_quarantined, message from audit.load_ledger "
        "where file_name = ? and status <> 'superseded'",
        [name],
    ).fetchall()


def test_all_rows_failing_one_column_reject_the_file_after_the_good_files_load(conn, landing):
    load_masters(conn, landing)
    write_csv(landing, DAY1, ORDER_LINES_HEADER, *_lines(30, "A"))
    write_csv(landing, DAY2, ORDER_LINES_HEADER, *_lines(30, "B", qty="n/a"))
    with pytest.raises(ContractViolation) as caught:
        load_source(conn, ORDER_LINES, landing)

    assert list(caught.value.files) == [DAY2]
    assert "ordered_qty type" in caught.value.files[DAY2]
    assert scalar(conn, "select count(*) from raw.order_lines") == 30
    assert scalar(conn, "select count(*) from raw.order_lines where _source_file = ?", [DAY2]) == 0
    [(status, read, loaded, quarantined, message)] = _ledger(conn, DAY2)
    assert (status, read, loaded, quarantined) == ("rejected", 30, 0, 30)
    assert "ordered_qty type" in message and "'n/a' is not a valid INTEGER" in message
    reasons = conn.execute(
        "select distinct rule from audit.quarantine where file_name = ?", [DAY2]
    ).fetchall()
    assert reasons == [("type",)]


def test_above_the_threshold_the_good_rows_are_quarantined_too(conn, landing):
    load_masters(conn, landing)
    lines = _lines(20, "B", qty="n/a")
    lines[0] = order_line("B-0", 1)  # 19 of 20 bad: 95 %
    write_csv(landing, DAY2, ORDER_LINES_HEADER, *lines)
    with pytest.raises(ContractViolation):
        load_source(conn, ORDER_LINES, landing)
    rules = conn.execute(
        "select rule, count(*) from audit.quarantine group by 1 order by 1"
    ).fetchall()
    assert rules == [("file_rejected", 1), ("type", 19)]
    [(status, read, loaded, quarantined, _)] = _ledger(conn, DAY2)
    assert (status, read, loaded, quarantined) == ("rejected", 20, 0, 20)


@pytest.mark.parametrize(("n_rows", "n_bad"), [(20, 17), (4, 4), (10, 9)])
def test_below_the_threshold_rows_are_quarantined_one_by_one(conn, landing, n_rows, n_bad):
    load_masters(conn, landing)
    lines = _lines(n_rows, "B")
    lines[:n_bad] = [order_line(f"B-{i}", 1, qty="n/a") for i in range(n_bad)]
    write_csv(landing, DAY2, ORDER_LINES_HEADER, *lines)
    result = load_source(conn, ORDER_LINES, landing)
    assert (result.rows_loaded, result.rows_quarantined) == (n_rows - n_bad, n_bad)


def test_a_rejected_redelivery_keeps_the_earlier_version_and_a_fix_replaces_it(conn, landing):
    load_masters(conn, landing)
    write_csv(landing, DAY1, ORDER_LINES_HEADER, *_lines(25, "A"))
    load_source(conn, ORDER_LINES, landing)
    write_csv(landing, DAY1, ORDER_LINES_HEADER, *_lines(25, "A", qty="n/a"))
    for _ in range(2):  # rejected again on the next run, its quarantine not doubled
        with pytest.raises(ContractViolation):
            load_source(conn, ORDER_LINES, landing)
        assert scalar(conn, "select count(*) from raw.order_lines") == 25
        assert scalar(conn, "select count(*) from audit.quarantine") == 25
    write_csv(landing, DAY1, ORDER_LINES_HEADER, *_lines(26, "A"))
    result = load_source(conn, ORDER_LINES, landing)
    assert result.rows_loaded == 26 and scalar(conn, "select count(*) from audit.quarantine") == 0
    assert [r[0] for r in _ledger(conn, DAY1)] == ["loaded"]


def test_parquet_with_dates_as_other_text_is_rejected(conn, landing):
    load_masters(conn, landing)
    path = landing / "inventory/production/production_2024-03-01.parquet"
    path.parent.mkdir(parents=True)
    frame = pd.DataFrame(
        {
            "production_date": [f"03/{d:02d}/2024" for d in range(1, 26)],
            "production_line": "L1",
            "sku": "P1",
            "produced_qty": [str(i) for i in range(25)],
        }
    )
    frame.to_parquet(path)
    with pytest.raises(ContractViolation, match="production_date type"):
        load_source(
            conn, CONTRACTS["production_output"], landing, loaded_at=dt.datetime(2024, 3, 2)
        )
    assert (
        scalar(conn, "select count(*) from audit.quarantine where source = 'production_output'")
        == 25
    )
