"""A first load stores each source's rows in file and row order.

The daily loads find the loaded rows a new file's keys could repeat by the zone maps of
the first key column (``validation.loaded_in_range``): they keep few row groups only
when the history's rows lie in the order they were delivered, ids growing with time.
The checked path's parallel joins (receipts against every invoice) reorder rows unless
the insert puts them back.
"""

from __future__ import annotations

import duckdb
from ingestion_files import load_masters

from ingestion.contracts import CONTRACTS
from ingestion.loader import load_source

N_INVOICES = 400_000
MONTHS = 4


def _write_history(landing) -> None:
    """One file of invoices and a month of receipts a file, over SMALL_BATCH_BYTES in all."""
    (landing / "sales/invoices").mkdir(parents=True)
    (landing / "sales/cash_receipts").mkdir(parents=True)
    with duckdb.connect() as conn:
        conn.execute(
            f"""copy (
                select printf('INV%09d', i) as invoice_id, printf('SO%09d', i) as order_id,
                    'C' || (1 + i % 2) as customer_id, date '2024-01-01' + (i * 120 // {N_INVOICES})::int
                    as invoice_date, date '2024-06-01' as due_date, 100.00 as invoice_amount
                from range({N_INVOICES}) as t(i)
            ) to '{landing}/sales/invoices/invoices_2024.csv' (header)"""
        )
        per_month = N_INVOICES // MONTHS
        for m in range(MONTHS):
            conn.execute(
                f"""copy (
                    select printf('RC%09d', i) as receipt_id, printf('INV%09d', i) as invoice_id,
                        'C' || (1 + i % 2) as customer_id, date '2024-0{m + 2}-01' as receipt_date,
                        100.00 as amount
                    from range({m * per_month}, {(m + 1) * per_month}) as t(i)
                ) to '{landing}/sales/cash_receipts/cash_receipts_2024-0{m + 1}.csv' (header)"""
            )


def test_a_first_load_keeps_the_delivered_order(conn, landing):
    load_masters(conn, landing)
    _write_history(landing)
    load_source(conn, CONTRACTS["invoices"], landing)
    result = load_source(conn, CONTRACTS["cash_receipts"], landing)
    assert result.files_loaded == MONTHS
    for table, key in (("invoices", "invoice_id"), ("cash_receipts", "receipt_id")):
        n, out_of_order = conn.execute(
            f"""select count(*), count(*) filter (where {key} < previous) from (
                select {key}, lag({key}) over (order by rowid) as previous from raw.{table})"""
        ).fetchone()
        assert n == N_INVOICES and out_of_order == 0, (table, out_of_order)
