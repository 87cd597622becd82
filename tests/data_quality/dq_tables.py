"""Helpers building small hand-made raw tables on a real DuckDB, typed from the source contracts."""

from __future__ import annotations

import datetime as dt

import duckdb

from ingestion.contracts import SourceContract

AS_OF = dt.date(2024, 3, 31)
LOADED_AT = dt.datetime(2024, 3, 31, 6, 0)


def create_raw_table(conn: duckdb.DuckDBPyConnection, contract: SourceContract) -> None:
    """Create ``raw.<source>`` with the contract's columns and the loader's metadata columns."""
    columns = ", ".join(f'"{c.name}" {c.type}' for c in contract.columns)
    conn.execute("create schema if not exists raw")
    conn.execute(
        f"create table {contract.raw_table} ({columns}, _source_file varchar, "
        f"_row_number integer, _file_hash varchar, _loaded_at timestamp)"
    )


def insert_rows(
    conn: duckdb.DuckDBPyConnection,
    contract: SourceContract,
    rows: list[dict],
    source_file: str = "file_1.csv",
    loaded_at: dt.datetime = LOADED_AT,
    table: str | None = None,
) -> None:
    """Insert ``rows`` (dicts keyed by contract column; missing keys are NULL) as one loaded file.

    ``table`` defaults to the contract's raw table.
    """
    names = [*contract.column_names, "_source_file", "_row_number", "_file_hash", "_loaded_at"]
    values = [
        [row.get(c) for c in contract.column_names] + [source_file, i + 1, "hash", loaded_at]
        for i, row in enumerate(rows)
    ]
    placeholders = ", ".join("?" for _ in names)
    conn.executemany(f"insert into {table or contract.raw_table} values ({placeholders})", values)


def order_line(i: int, **overrides) -> dict:
    """A valid order line; ``overrides`` inject the fault under test."""
    row = {
        "order_id": f"O{i:05d}",
        "line_number": 1,
        "order_date": dt.date(2024, 3, 30),
        "requested_date": dt.date(2024, 4, 5),
        "customer_id": "C1",
        "sku": "S1",
        "ordered_qty": 5,
        "list_price": 10,
        "discount_pct": 0.1,
        "net_price": 9,
    }
    return row | overrides
