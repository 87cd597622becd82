"""Helpers writing small hand-made landing files for the ingestion tests."""

from __future__ import annotations

from pathlib import Path

import duckdb

PRODUCTS_HEADER = (
    "sku,product_name,product_line,brand,list_price,standard_cost,launch_date,"
    "discontinue_date,production_line,supplier_lead_time_days"
)
CUSTOMERS_HEADER = "customer_id,customer_name,contact_phone,region,channel,tier,payment_terms_days"
ORDER_LINES_HEADER = (
    "order_id,line_number,order_date,requested_date,customer_id,sku,ordered_qty,"
    "list_price,discount_pct,net_price"
)


def write_text(landing: Path, relative: str, text: str) -> Path:
    """Write one landing file (creating folders) and return its path."""
    path = landing / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_csv(landing: Path, relative: str, header: str, *rows: str) -> Path:
    """Write a CSV landing file from a header line and data lines."""
    return write_text(landing, relative, "\n".join([header, *rows]) + "\n")


def order_line(
    order_id: str,
    line: int,
    qty: str = "5",
    customer: str = "C1",
    sku: str = "P1",
    order_date: str = "2024-03-01",
) -> str:
    """One order-line CSV row with sensible defaults."""
    return f"{order_id},{line},{order_date},2024-12-31,{customer},{sku},{qty},10.00,0.1,9.00"


def write_masters(landing: Path) -> None:
    """Products P1, P2 and customers C1, C2: what order lines reference."""
    write_csv(
        landing,
        "masters/products.csv",
        PRODUCTS_HEADER,
        "P1,Widget,Home,Acme,10.00,6.00,2023-01-01,,L1,14",
        "P2,Gadget,Home,Acme,20.00,12.00,2023-01-01,2025-12-31,L2,7",
        "P3,Rake,Garden,Acme,15.00,8.00,2023-01-01,,L2,10",
        "P4,Kettle,Kitchen,Acme,25.00,14.00,2023-01-01,,L1,21",
    )
    write_csv(
        landing,
        "masters/customers.csv",
        CUSTOMERS_HEADER,
        "C1,Alpha Trading,13800000000,EAST,retail,key,30",
        "C2,Beta Online,,WEST,online,small,0",
    )


def load_masters(conn: duckdb.DuckDBPyConnection, landing: Path) -> None:
    """Write and load products and customers (what most sources reference)."""
    from ingestion.contracts import CONTRACTS
    from ingestion.loader import load_source

    write_masters(landing)
    load_source(conn, CONTRACTS["products"], landing)
    load_source(conn, CONTRACTS["customers"], landing)


def scalar(conn: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """First value of the first row of a query."""
    return conn.execute(sql, params or []).fetchall()[0][0]
