"""`dbt build` over a small generated demo: green, in the right schemas, wired for Dagster."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from dbt_demo_build import DemoWarehouse

from ingestion.contracts import CONTRACTS

pytestmark = pytest.mark.xdist_group("dbt_demo")

REQUIRED_MARTS = {
    "dim_date",
    "dim_product",
    "dim_customer",
    "dim_channel",
    "dim_region",
    "fct_order_lines",
    "fct_shipments",
    "fct_returns",
    "fct_invoices",
    "fct_cash_receipts",
    "fct_inventory_snapshots",
    "fct_production",
    "fct_capacity",
    "fct_gl_actuals",
    "fct_budget",
    "fct_promotions",
    "fct_sales_team_forecast",
    "fct_demand_monthly",
}


def _manifest(demo: DemoWarehouse) -> dict:
    return json.loads((demo.project_dir / "target" / "manifest.json").read_text())


def test_build_is_green(demo_warehouse: DemoWarehouse) -> None:
    results = demo_warehouse.run_results.get("results", [])
    failed = [
        (r["unique_id"], r["status"], r.get("message"))
        for r in results
        if r["status"] not in ("success", "pass")
    ]
    assert demo_warehouse.run_results["returncode"] == 0, demo_warehouse.build_output[-4000:]
    assert not failed
    kinds = [r["unique_id"].split(".")[0] for r in results]
    print(
        f"dbt build: {demo_warehouse.build_seconds:.1f}s, "
        f"{kinds.count('model')} models, {kinds.count('test')} data tests, "
        f"{kinds.count('unit_test')} unit tests"
    )
    assert kinds.count("model") >= 40
    assert kinds.count("test") >= 150
    assert kinds.count("unit_test") >= 7


def test_layers_land_in_exact_schemas(demo_warehouse: DemoWarehouse) -> None:
    with demo_warehouse.connect() as conn:
        rows = conn.execute(
            "select table_schema, table_name, table_type from information_schema.tables "
            "where table_schema in ('staging', 'intermediate', 'marts')"
        ).fetchall()
        schemas = {
            r[0]
            for r in conn.execute("select schema_name from information_schema.schemata").fetchall()
        }
    by_schema: dict[str, dict[str, str]] = {}
    for schema, name, kind in rows:
        by_schema.setdefault(schema, {})[name] = kind
    assert not any(s.startswith("main_") for s in schemas)
    assert all(
        name.startswith("stg_") and kind == "VIEW" for name, kind in by_schema["staging"].items()
    )
    assert all(name.startswith("int_") for name in by_schema["intermediate"])
    assert set(by_schema["marts"]) >= REQUIRED_MARTS
    assert all(by_schema["marts"][name] == "BASE TABLE" for name in REQUIRED_MARTS)


def test_marts_have_enforced_contracts(demo_warehouse: DemoWarehouse) -> None:
    nodes = _manifest(demo_warehouse)["nodes"].values()
    marts = {
        n["name"]: n for n in nodes if n["resource_type"] == "model" and n["name"] in REQUIRED_MARTS
    }
    assert set(marts) == REQUIRED_MARTS
    for name, node in marts.items():
        assert node["config"]["contract"]["enforced"], name
        assert node["schema"] == "marts", name
        assert all(col.get("data_type") for col in node["columns"].values()), name


def test_every_contract_is_a_source_mapped_to_its_ingest_asset(
    demo_warehouse: DemoWarehouse,
) -> None:
    sources = {
        s["name"]: s for s in _manifest(demo_warehouse)["sources"].values() if s["schema"] == "raw"
    }
    assert set(sources) == set(CONTRACTS)
    for name, source in sources.items():
        assert source["meta"]["dagster"]["asset_key"] == ["raw", name]
        assert source["source_name"] == CONTRACTS[name].area
        assert set(source["columns"]) == set(CONTRACTS[name].column_names)


def test_revenue_and_cogs_reconcile_with_the_general_ledger(demo_warehouse: DemoWarehouse) -> None:
    """Net revenue and COGS from the transactions equal the GL postings of every closed month."""
    with demo_warehouse.connect() as conn:
        rows = conn.execute("""
            with ledger as (
                select month,
                       sum(case when account_type = 'revenue' then amount else 0 end) as revenue,
                       sum(case when account_type = 'cogs' then amount else 0 end) as cogs
                from marts.fct_gl_actuals group by month
            ),
            transactions as (
                select date_trunc('month', revenue_date)::date as month,
                       sum(net_revenue_amount) as revenue, sum(cogs_amount) as cogs,
                       sum(case when revenue_event_type = 'shipment' then cogs_amount else 0 end)
                           as shipment_cogs
                from marts.fct_revenue_lines group by 1
            )
            select ledger.month, ledger.revenue, transactions.revenue,
                   ledger.cogs, transactions.shipment_cogs
            from ledger join transactions using (month) order by 1
        """).fetchall()
    assert len(rows) >= 12
    for month, gl_revenue, revenue, gl_cogs, shipment_cogs in rows:
        assert Decimal(gl_revenue) == Decimal(revenue), month
        # The GL books COGS on shipments only; the metric also puts returned goods back.
        assert Decimal(gl_cogs) == Decimal(shipment_cogs), month


def test_demand_panel_is_dense_and_matches_order_lines(demo_warehouse: DemoWarehouse) -> None:
    with demo_warehouse.connect() as conn:
        panel_units, lines_units = conn.execute("""
            select (select sum(ordered_units) from marts.fct_demand_monthly),
                   (select sum(ordered_qty) from marts.fct_order_lines)
        """).fetchone()
        gaps = conn.execute("""
            select count(*) from (
                select sku, region, channel,
                       count(*) as months,
                       datediff('month', min(month), max(month)) + 1 as span
                from marts.fct_demand_monthly group by 1, 2, 3
            ) where months <> span
        """).fetchone()[0]
        zero_months = conn.execute(
            "select count(*) from marts.fct_demand_monthly where ordered_units = 0"
        ).fetchone()[0]
    assert panel_units == lines_units
    assert gaps == 0
    assert zero_months > 0
