"""Personal data (customer names, phones) never reaches the marts."""

from __future__ import annotations

import re
import subprocess

import pytest
from dbt_demo_build import DBT, DemoWarehouse

pytestmark = pytest.mark.xdist_group("dbt_demo")

PERSONAL_COLUMNS = {"customer_name", "contact_phone", "customer_name_hash"}


def test_no_personal_columns_in_marts(demo_warehouse: DemoWarehouse) -> None:
    with demo_warehouse.connect() as conn:
        columns = conn.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'marts'"
        ).fetchall()
    assert columns
    offending = [(t, c) for t, c in columns
                 if c in PERSONAL_COLUMNS or "phone" in c or c.endswith("_name_hash")]
    assert offending == []


def test_no_customer_name_or_phone_value_in_any_mart(demo_warehouse: DemoWarehouse) -> None:
    """Not even under another column name: no mart text cell equals a raw name or phone."""
    with demo_warehouse.connect() as conn:
        names = {r[0] for r in conn.execute(
            "select customer_name from raw.customers union select contact_phone from raw.customers "
            "where contact_phone is not null").fetchall()}
        text_columns = conn.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'marts' and data_type = 'VARCHAR'").fetchall()
        leaks = []
        for table, column in text_columns:
            values = {r[0] for r in conn.execute(
                f'select distinct "{column}" from marts."{table}"').fetchall()}
            if values & names:
                leaks.append((table, column))
    assert names
    assert leaks == []


def test_staging_hashes_names_and_drops_phones(demo_warehouse: DemoWarehouse) -> None:
    with demo_warehouse.connect() as conn:
        staged_columns = {r[0] for r in conn.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'staging' and table_name = 'stg_masters__customers'").fetchall()}
        hashes = conn.execute(
            "select customer_name_hash from staging.stg_masters__customers").fetchall()
        raw_count = conn.execute("select count(*) from raw.customers").fetchone()[0]
    assert "customer_name" not in staged_columns
    assert "contact_phone" not in staged_columns
    assert len(hashes) == raw_count
    assert all(re.fullmatch(r"[0-9a-f]{64}", h[0]) for h in hashes)


def _staged_name_hashes(demo: DemoWarehouse, key: str | None) -> dict[str, str]:
    env = demo.env()
    env.pop("SOP_PII_KEY", None)
    if key is not None:
        env["SOP_PII_KEY"] = key
    proc = subprocess.run([str(DBT), "run", "--select", "stg_masters__customers"],
                          cwd=demo.project_dir, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with demo.connect() as conn:
        return dict(conn.execute(
            "select customer_id, customer_name_hash from staging.stg_masters__customers").fetchall())


def test_name_hash_is_keyed_and_the_key_is_not_stored(demo_warehouse: DemoWarehouse) -> None:
    """Without the key a name cannot be found by hashing guesses; the key is not in the warehouse."""
    with demo_warehouse.connect() as conn:
        plain = dict(conn.execute(
            "select trim(customer_id), sha256(trim(customer_name)) from raw.customers").fetchall())
    try:
        first = _staged_name_hashes(demo_warehouse, "key-one")
        second = _staged_name_hashes(demo_warehouse, "key-two")
        with demo_warehouse.connect() as conn:
            stored_sql = " ".join(r[0] or "" for r in conn.execute(
                "select sql from duckdb_views() union all select sql from duckdb_tables()"
            ).fetchall())
    finally:
        _staged_name_hashes(demo_warehouse, None)
    assert first.keys() == plain.keys()
    assert all(first[c] != second[c] for c in first)
    assert not set(first.values()) & set(plain.values())
    assert "key-two" not in stored_sql
