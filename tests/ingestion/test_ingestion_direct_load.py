"""The one-statement load of a clean small batch writes what the checked path writes.

Each scenario runs twice on fresh warehouses: as the loader runs it (a clean batch by
:mod:`ingestion.direct_load`) and with the direct load switched off (every batch by the
checked path). Raw rows, quarantine and ledger must be equal, and the direct load must
have loaded the clean batches itself (the checked path was not called for them).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from ingestion_files import ORDER_LINES_HEADER, order_line, write_csv, write_masters

from ingestion import direct_load, loader
from ingestion.contracts import ContractSettings
from ingestion.loader import load_all

MARCH = "sales/order_lines/order_lines_2024-03.csv"
APRIL = "sales/order_lines/order_lines_2024-04.csv"
MAY = "sales/order_lines/order_lines_2024-05.csv"
LOADED_AT = dt.datetime(2024, 6, 1, 6, 0)
SETTINGS = ContractSettings(personal_data_key="test-key")
SOURCES = ["products", "customers", "order_lines"]


def _state(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {
        "raw": conn.execute(
            "select * from raw.order_lines order by _source_file, _row_number"
        ).fetchall(),
        "customers": conn.execute("select * from raw.customers order by customer_id").fetchall(),
        "quarantine": conn.execute(
            "select * exclude (quarantined_at) from audit.quarantine order by file_name, row_number"
        ).fetchall(),
        "ledger": conn.execute(
            "select * exclude (file_mtime_ns) from audit.load_ledger "
            "order by source, file_name, file_hash, status"
        ).fetchall(),
    }


def _run(tmp_path: Path, monkeypatch, direct: bool, days) -> tuple[dict, list[str]]:
    """Load the days (each a function writing that day's landing files) one load each."""
    landing = tmp_path / f"landing_{direct}"
    checked: list[str] = []
    real_load_batch = loader.load_batch

    def load_batch(conn, contract, files, *args, **kwargs):
        checked.extend(f.name for f in files)
        return real_load_batch(conn, contract, files, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(loader, "load_batch", load_batch)
        if not direct:
            patch.setattr(direct_load, "record_counts", lambda contract, files: None)
        with duckdb.connect(str(tmp_path / f"warehouse_{direct}.duckdb")) as conn:
            for day in days:
                day(landing)
                outcome = load_all(conn, landing, SOURCES, loaded_at=LOADED_AT, settings=SETTINGS)
                assert not outcome.errors
            return _state(conn), checked


def _both(tmp_path, monkeypatch, *days) -> list[str]:
    """Run the days both ways, assert the same warehouse; the files the checked path took."""
    direct, checked = _run(tmp_path, monkeypatch, True, days)
    reference, _ = _run(tmp_path, monkeypatch, False, days)
    assert direct == reference
    return checked


def _masters(landing):
    write_masters(landing)


def test_clean_daily_files_and_a_corrected_redelivery(tmp_path, monkeypatch):
    def first(landing):
        _masters(landing)
        write_csv(landing, MARCH, ORDER_LINES_HEADER, order_line("SO-1", 1), order_line("SO-1", 2))
        write_csv(landing, APRIL, ORDER_LINES_HEADER, order_line("SO-2", 1, customer="C2"))

    def second(landing):  # a corrected March and a new May, beside April unchanged
        write_csv(landing, MARCH, ORDER_LINES_HEADER, order_line("SO-1", 1, qty="7"))
        write_csv(landing, MAY, ORDER_LINES_HEADER, order_line("SO-3", 1, sku="P2"))

    assert _both(tmp_path, monkeypatch, first, second) == []


def test_a_snapshot_with_hashed_personal_data_is_replaced_whole(tmp_path, monkeypatch):
    def second(landing):
        (landing / "masters" / "customers.csv").write_text(
            "customer_id,customer_name,contact_phone,region,channel,tier,payment_terms_days\n"
            "C1,Alpha Trading Ltd,13800000001,EAST,retail,key,45\n"
            "C3,Gamma,,NORTH,distributor,small,30\n"
        )

    assert _both(tmp_path, monkeypatch, _masters, second) == []


@pytest.mark.parametrize(
    "bad_line",
    [
        order_line("SO-9", 1, qty="abc"),  # fails a type check
        order_line("SO-9", 1, customer="C404"),  # an unknown reference
        order_line("SO-1", 1),  # repeats a key loaded from March
        order_line("SO-8", 1),  # repeats a key of its own file
        "SO-9,1,2024-03-01",  # malformed: too few fields
    ],
    ids=["type", "reference", "loaded_key", "batch_key", "malformed"],
)
def test_a_batch_with_one_failing_row_is_loaded_by_the_checked_path(
    tmp_path, monkeypatch, bad_line
):
    def first(landing):
        _masters(landing)
        write_csv(landing, MARCH, ORDER_LINES_HEADER, order_line("SO-1", 1))

    def second(landing):
        write_csv(
            landing,
            APRIL,
            ORDER_LINES_HEADER,
            order_line("SO-7", 1),
            order_line("SO-8", 1),
            bad_line,
        )

    assert _both(tmp_path, monkeypatch, first, second) == [APRIL]
