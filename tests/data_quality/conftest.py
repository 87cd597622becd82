"""Fixtures: one GX context per session and a small warehouse with masters."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from dq_tables import create_raw_table, insert_rows

from ingestion.contracts import CONTRACTS


@pytest.fixture(scope="session")
def dq():
    """One GX ephemeral context for the whole test session, as a run would use."""
    from data_quality.runner import DataQualityContext

    return DataQualityContext()


@pytest.fixture
def warehouse() -> duckdb.DuckDBPyConnection:
    """Masters with skus S1, S2 and customers C1, C2, and an empty raw.order_lines."""
    conn = duckdb.connect()
    products, customers = CONTRACTS["products"], CONTRACTS["customers"]
    for contract in (products, customers, CONTRACTS["order_lines"]):
        create_raw_table(conn, contract)
    insert_rows(
        conn,
        products,
        [
            {
                "sku": sku,
                "product_name": sku,
                "product_line": "L1",
                "brand": "B",
                "list_price": 10,
                "standard_cost": 6,
                "launch_date": dt.date(2023, 1, 1),
                "production_line": "P1",
                "supplier_lead_time_days": 10,
            }
            for sku in ("S1", "S2")
        ],
        source_file="masters/products.csv",
    )
    insert_rows(
        conn,
        customers,
        [
            {
                "customer_id": cid,
                "customer_name": cid,
                "region": "EAST",
                "channel": "retail",
                "tier": "key",
                "payment_terms_days": 30,
            }
            for cid in ("C1", "C2")
        ],
        source_file="masters/customers.csv",
    )
    yield conn
    conn.close()
