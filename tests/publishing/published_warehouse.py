"""A small hand-made warehouse: two marts tables, a mart view, and a schema that must not be published."""

from pathlib import Path

import duckdb


def make_warehouse(path: Path, demand_rows: int = 6) -> Path:
    """Write a warehouse with ``marts.fct_demand_monthly`` of ``demand_rows`` rows (plus more)."""
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema if not exists marts")
        conn.execute("create schema if not exists raw")
        conn.execute(
            "create or replace table raw.customers as "
            "select 'C1' as customer_id, 'Ms Wang' as customer_name"
        )
        conn.execute(
            "create or replace table marts.fct_demand_monthly as "
            "select date '2025-01-01' + to_months(i % 3) as month, 'SKU' || (i % 2) as sku, "
            "i * 10 as ordered_units from range(?) as t(i)",
            [demand_rows],
        )
        conn.execute(
            "create or replace table marts.dim_region as "
            "select * from (values ('EAST'), ('SOUTH'), ('NORTH'), ('WEST')) as t(region)"
        )
        conn.execute(
            "create or replace view marts.mart_units_by_month as "
            "select month, sum(ordered_units) as units from marts.fct_demand_monthly group by month"
        )
    return path
