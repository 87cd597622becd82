"""Personal data (customer names, phones) never reaches the marts."""

from __future__ import annotations

import re

import pytest
from dbt_demo_build import DemoWarehouse

pytestmark = pytest.mark.xdist_group("dbt_demo")

PERSONAL_COLUMNS = {"customer_name", "contact_phone", "customer_name_hash"}


def test_no_personal_columns_in_marts(demo_warehouse: DemoWarehouse) -> None:
    with demo_warehouse.connect() as conn:
        columns = conn.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'marts'"
        ).fetchall()
    assert columns
    offending = [
        (t, c)
        for t, c in columns
        if c in PERSONAL_COLUMNS or "phone" in c or c.endswith("_name_hash")
    ]
    assert offending == []


def test_no_customer_name_or_phone_value_in_any_mart(demo_warehouse: DemoWarehouse) -> None:
    """Not even under another column name: no mart text cell equals a delivered name or phone."""
    with demo_warehouse.connect() as conn:
        names = {
            r[0]
            for r in conn.execute(
                "select customer_name from read_csv(?, all_varchar = true) union "
                "select contact_phone from read_csv(?, all_varchar = true) "
                "where contact_phone is not null",
                [str(p) for p in 2 * [demo_warehouse.landing_dir / "masters" / "customers.csv"]],
            ).fetchall()
        }
        text_columns = conn.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'marts' and data_type = 'VARCHAR'"
        ).fetchall()
        leaks = []
        for table, column in text_columns:
            values = {
                r[0]
                for r in conn.execute(f'select distinct "{column}" from marts."{table}"').fetchall()
            }
            if values & names:
                leaks.append((table, column))
    assert names
    assert leaks == []


def test_staging_hashes_names_and_drops_phones(demo_warehouse: DemoWarehouse) -> None:
    with demo_warehouse.connect() as conn:
        staged_columns = {
            r[0]
            for r in conn.execute(
                "select column_name from information_schema.columns "
                "where table_schema = 'staging' and table_name = 'stg_masters__customers'"
            ).fetchall()
        }
        hashes = conn.execute(
            "select customer_name_hash from staging.stg_masters__customers"
        ).fetchall()
        raw_count = conn.execute("select count(*) from raw.customers").fetchone()[0]
    assert "customer_name" not in staged_columns
    assert "contact_phone" not in staged_columns
    assert len(hashes) == raw_count
    assert all(re.fullmatch(r"[0-9a-f]{64}", h[0]) for h in hashes)
