"""The incremental facts equal a full rebuild after every daily load, and do less work.

A small demo is delivered over four "days": the month-to-date files grow by a day each
time; on day 2 a past month's order lines are re-delivered corrected (one line changed,
one dropped); on day 3 a late shipment for a past day arrives in a file of its own and a
month of returns is withdrawn from raw; on day 4 a customer moves region (a master
change: everything is rebuilt). After each load the warehouse is built incrementally,
copied, and the copy rebuilt with ``--full-refresh``: every incremental fact must hold the
same rows. Days 2 and 3 must have recomputed only some months, and on day 3 the daily test
scope (``test_scope: increment``) must read the rebuilt months and only them.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from dbt_demo_build import DBT, DEMO_CONFIG, DemoWarehouse, copy_project

import demo_company
from ingestion.contracts import CONTRACTS
from ingestion.ledger import replace_files
from ingestion.loader import load_all

pytestmark = pytest.mark.slow  # four dbt builds and four full refreshes (~2 min)

FACTS = [
    "fct_order_lines",
    "fct_shipments",
    "fct_returns",
    "fct_revenue_lines",
    "fct_invoices",
    "fct_cash_receipts",
    "fct_inventory_snapshots",
    "fct_production",
    "fct_demand_monthly",
]
SELECTION = ["--select", *[f"+{name}" for name in FACTS]]
DATE_COLUMNS = {
    "order_lines": "order_date",
    "shipments": "ship_date",
    "returns": "return_date",
    "invoices": "invoice_date",
    "cash_receipts": "receipt_date",
}
"""Dated CSV sources whose month-to-date files grow day by day."""
AS_OF: date = DEMO_CONFIG["as_of"]


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows([header, *rows])


def deliver_until(generated: Path, landing: Path, cutoff: date) -> None:
    """Copy the generated files to landing as delivered by ``cutoff``: dated rows up to that day."""
    for src in sorted(
        p for p in generated.rglob("*") if p.is_file() and not p.name.startswith(".")
    ):
        rel = src.relative_to(generated)
        dst = landing / rel
        source = next((s for s in DATE_COLUMNS if rel.parts[:2] == ("sales", s)), None)
        if source is None:
            if not dst.exists():
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dst)
            continue
        header, rows = _read(src)
        i = header.index(DATE_COLUMNS[source])
        kept = [r for r in rows if not r[i] or r[i][:10] <= cutoff.isoformat()]
        if kept and (not dst.exists() or _read(dst)[1] != kept):
            _write(dst, header, kept)


def ingest(home: Path, landing: Path) -> None:
    conn = duckdb.connect(str(home / "warehouse.duckdb"))
    try:
        outcome = load_all(conn, landing)
    finally:
        conn.close()
    assert not outcome.errors, outcome.errors


def dbt_run(demo: DemoWarehouse, home: Path, *extra: str) -> None:
    env = {**demo.env(), "SOP_HOME": str(home)}
    proc = subprocess.run(
        [str(DBT), "run", *SELECTION, *extra],
        cwd=demo.project_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]


def checksums(home: Path) -> dict[str, tuple[int, str]]:
    """Row count and an order-independent digest of every incremental fact."""
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        return {
            name: conn.execute(
                f"select count(*), md5(coalesce(string_agg(cast(t as varchar), '|' "
                f"order by cast(t as varchar)), '')) from marts.{name} as t"
            ).fetchone()
            for name in FACTS
        }


def affected_months(home: Path, name: str) -> int:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        return conn.execute(
            f'select count(*) from incremental_state."{name}__affected"'
        ).fetchone()[0]


def all_months(home: Path, name: str, column: str) -> int:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        return conn.execute(
            f"select count(distinct date_trunc('month', {column})) from marts.{name}"
        ).fetchone()[0]


def assert_equals_full_refresh(demo: DemoWarehouse, home: Path, tmp: Path) -> None:
    copy = tmp / "full_refresh_home"
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir()
    shutil.copy2(home / "warehouse.duckdb", copy / "warehouse.duckdb")
    dbt_run(demo, copy, "--full-refresh")
    incremental, full = checksums(home), checksums(copy)
    assert incremental == full, {
        k: (incremental[k], full[k]) for k in FACTS if incremental[k] != full[k]
    }


def unique_shipment_test(demo: DemoWarehouse, home: Path, scope: str) -> int:
    """Return code of the ``unique`` test on fct_shipments.shipment_id in a test scope."""
    env = {**demo.env(), "SOP_HOME": str(home)}
    proc = subprocess.run(
        [
            str(DBT),
            "test",
            "--select",
            "fct_shipments,test_name:unique",
            "--vars",
            json.dumps({"test_scope": scope}),
        ],
        cwd=demo.project_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert "Compilation Error" not in proc.stdout, proc.stdout[-3000:]
    return proc.returncode


def assert_tests_scoped_to_rebuilt_months(demo: DemoWarehouse, home: Path, tmp: Path) -> None:
    """A duplicate key in a month this run did not rebuild fails the full-scope test only;
    one in a rebuilt month fails both (a copy of the warehouse is tampered with)."""
    copy = tmp / "test_scope_home"
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir()
    shutil.copy2(home / "warehouse.duckdb", copy / "warehouse.duckdb")
    with duckdb.connect(str(copy / "warehouse.duckdb")) as conn:
        affected = 'incremental_state."fct_shipments__affected"'
        old, new = (
            f"(select * from marts.fct_shipments where date_trunc('month', ship_date) "
            f"{op} (select month from {affected}) limit 1)"
            for op in ("not in", "in")
        )
        conn.execute(f"insert into marts.fct_shipments select * from {old}")
    assert unique_shipment_test(demo, copy, "increment") == 0
    assert unique_shipment_test(demo, copy, "full") != 0
    with duckdb.connect(str(copy / "warehouse.duckdb")) as conn:
        conn.execute(f"insert into marts.fct_shipments select * from {new}")
    assert unique_shipment_test(demo, copy, "increment") != 0


def test_daily_increments_equal_a_full_rebuild(tmp_path: Path) -> None:
    generated = tmp_path / "generated"
    demo_company.generate(demo_company.DemoConfig(**DEMO_CONFIG), generated)
    home, landing = tmp_path / "home", tmp_path / "home" / "landing"
    landing.mkdir(parents=True)
    demo = DemoWarehouse(
        home=home,
        landing_dir=landing,
        project_dir=copy_project(tmp_path / "dbt_project"),
        build_seconds=0.0,
        build_output="",
        run_results={},
    )

    # day 1: the history up to three days ago, built from scratch
    deliver_until(generated, landing, AS_OF - timedelta(days=3))
    ingest(home, landing)
    dbt_run(demo, home)
    assert_equals_full_refresh(demo, home, tmp_path)
    day1 = checksums(home)

    # day 2: one more day, and a past month's order lines re-delivered with a correction
    deliver_until(generated, landing, AS_OF - timedelta(days=2))
    corrected = landing / "sales/order_lines/order_lines_2025-09.csv"
    header, rows = _read(corrected)
    rows[0][header.index("ordered_qty")] = str(int(rows[0][header.index("ordered_qty")]) + 5)
    _write(corrected, header, rows[:-1])
    ingest(home, landing)
    dbt_run(demo, home)
    assert_equals_full_refresh(demo, home, tmp_path)
    assert checksums(home)["fct_order_lines"] != day1["fct_order_lines"]
    assert (
        0
        < affected_months(home, "fct_order_lines")
        < all_months(home, "fct_order_lines", "order_date")
    )

    # day 3: one more day, a late shipment for a past day, a month of returns withdrawn
    deliver_until(generated, landing, AS_OF - timedelta(days=1))
    header, rows = _read(landing / "sales/shipments/shipments_2025-10.csv")
    late = list(rows[0])
    late[header.index("shipment_id")] = "LATE-1"
    late[header.index("ship_date")] = "2025-10-15"
    _write(landing / "sales/shipments/shipments_2025-10-late.csv", header, [late])
    ingest(home, landing)
    withdrawn = "sales/returns/returns_2026-01.csv"
    with duckdb.connect(str(home / "warehouse.duckdb")) as conn:
        replace_files(conn, CONTRACTS["returns"], [withdrawn])
    dbt_run(demo, home)
    assert_equals_full_refresh(demo, home, tmp_path)
    assert (
        0 < affected_months(home, "fct_shipments") < all_months(home, "fct_shipments", "ship_date")
    )
    assert_tests_scoped_to_rebuilt_months(demo, home, tmp_path)
    assert 0 < affected_months(home, "fct_returns") < all_months(home, "fct_returns", "return_date")
    # the demand panel: from the late shipment's month to the end, not the whole history
    assert (
        0
        < affected_months(home, "fct_demand_monthly")
        < all_months(home, "fct_demand_monthly", "month")
    )
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        assert (
            conn.execute(
                "select count(*) from marts.fct_shipments where shipment_id = 'LATE-1'"
            ).fetchone()[0]
            == 1
        )
        gone = [r[0] for r in _read(landing / withdrawn)[1]]
        assert (
            gone
            and conn.execute(
                "select count(*) from marts.fct_returns where return_id in (select unnest(?))",
                [gone],
            ).fetchone()[0]
            == 0
        )

    # day 4: the last day, and a customer moves region: every month is rebuilt
    deliver_until(generated, landing, AS_OF)
    customers = next((landing / "masters").glob("customers*.csv"))
    header, rows = _read(customers)
    i = header.index("region")
    rows[0][i] = next(r[i] for r in rows if r[i] != rows[0][i])
    _write(customers, header, rows)
    ingest(home, landing)
    dbt_run(demo, home)
    assert_equals_full_refresh(demo, home, tmp_path)
    assert affected_months(home, "fct_order_lines") == all_months(
        home, "fct_order_lines", "order_date"
    )
