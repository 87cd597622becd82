"""A company unlike the demo, built for real: ship-to regions on order lines, regions as spelled.

``tests/own_company.py`` writes the minimal three sources (regions ``Central``,
``North-East``...; order lines carrying their own ship-to region and channel). One
month's file is re-written without the optional ``region``/``channel`` columns, so
its lines fall back to the customer's. The warehouse's core and demand marts are built
with their dbt tests.
"""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import duckdb
import pytest
from dbt_demo_build import DBT, DemoWarehouse, copy_project

from ingestion.loader import load_all
from tests.own_company import write_own_company

SELECTION = [
    "+fct_order_lines",
    "+fct_demand_monthly",
    "+fct_returns",
    "+dim_region",
    "+dim_channel",
    "+dim_customer",
]
FIRST_FILE = "sales/order_lines/order_lines_2019-01.csv"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _write_returns_of_lines_shipped_away(landing: Path) -> list[tuple[str, str]]:
    """Return three lines shipped outside the customer's home region; (order_id, region) each."""
    home = {c["customer_id"]: c["region"] for c in _read(landing / "masters/customers.csv")}
    lines = [
        r
        for r in _read(landing / "sales/order_lines/order_lines_2020-03.csv")
        if r["region"] != home[r["customer_id"]]
    ][:3]
    path = landing / "sales/returns/returns_2020-04.csv"
    path.parent.mkdir(parents=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(
            [
                "return_id",
                "order_id",
                "line_number",
                "return_date",
                "customer_id",
                "sku",
                "returned_qty",
                "credit_amount",
            ]
        )
        for i, line in enumerate(lines):
            writer.writerow(
                [
                    f"R{i}",
                    line["order_id"],
                    line["line_number"],
                    "2020-04-10",
                    line["customer_id"],
                    line["sku"],
                    "1",
                    line["net_price"],
                ]
            )
    return [(line["order_id"], line["region"]) for line in lines]


def _drop_ship_to_columns(path: Path) -> None:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    keep = [i for i, name in enumerate(rows[0]) if name not in ("region", "channel")]
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows([[r[i] for i in keep] for r in rows])


@pytest.fixture(scope="module")
def own_warehouse(tmp_path_factory: pytest.TempPathFactory) -> DemoWarehouse:
    root = tmp_path_factory.mktemp("own_company")
    home = root / "sop_home"
    landing = home / "landing"
    write_own_company(landing)
    _drop_ship_to_columns(landing / FIRST_FILE)
    (root / "returned.json").write_text(json.dumps(_write_returns_of_lines_shipped_away(landing)))
    conn = duckdb.connect(str(home / "warehouse.duckdb"))
    try:
        outcome = load_all(conn, landing)
    finally:
        conn.close()
    assert not outcome.errors, outcome.errors
    assert outcome.results["order_lines"].rows_quarantined == 0
    project = copy_project(root / "dbt_project")
    build = DemoWarehouse(
        home=home,
        landing_dir=landing,
        project_dir=project,
        build_seconds=0.0,
        build_output="",
        run_results={},
    )
    proc = subprocess.run(
        [
            str(DBT),
            "build",
            "--indirect-selection",
            "cautious",
            "--select",
            *SELECTION,
            "--vars",
            json.dumps({"calendar_start_date": "2019-01-01"}),
        ],
        cwd=project,
        env=build.env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    return build


def test_build_ran_the_marts_tests(own_warehouse: DemoWarehouse) -> None:
    results = json.loads((own_warehouse.project_dir / "target" / "run_results.json").read_text())
    kinds = [r["unique_id"].split(".")[0] for r in results["results"]]
    assert kinds.count("test") >= 20
    assert all(r["status"] in ("success", "pass") for r in results["results"])


def test_order_lines_carry_their_ship_to_region_else_the_customers(own_warehouse) -> None:
    with own_warehouse.connect() as conn:
        rows = conn.execute("""
            select f.region, f.channel, o.region as line_region, o.channel as line_channel,
                   c.region as customer_region, c.channel as customer_channel, o._source_file
            from marts.fct_order_lines as f
            join raw.order_lines as o using (order_id, line_number)
            join raw.customers as c on c.customer_id = o.customer_id
        """).fetchall()
    assert rows
    away = [r for r in rows if r[2] is not None and r[2] != r[4]]
    assert len(away) > len(rows) // 10, "the test company ships many lines outside the home region"
    for region, channel, line_region, line_channel, home, home_channel, source in rows:
        if source == FIRST_FILE:
            assert (line_region, line_channel) == (None, None)
            assert (region, channel) == (home, home_channel)
        else:
            assert (region, channel) == (line_region, line_channel)


def test_demand_panel_is_by_ship_to_region_spelled_as_delivered(own_warehouse) -> None:
    with own_warehouse.connect() as conn:
        panel = dict(
            conn.execute(
                "select region, sum(ordered_units) from marts.fct_demand_monthly group by 1"
            ).fetchall()
        )
        lines = dict(
            conn.execute("""
            select coalesce(o.region, c.region), sum(o.ordered_qty)
            from raw.order_lines as o join raw.customers as c using (customer_id) group by 1
        """).fetchall()
        )
        regions = {r[0] for r in conn.execute("select region from marts.dim_region").fetchall()}
    assert set(panel) == {"Central", "North-East", "South", "West Coast"} == regions
    assert panel == lines


def test_returns_take_the_region_of_the_returned_line(own_warehouse) -> None:
    expected = sorted(
        tuple(r) for r in json.loads((own_warehouse.home.parent / "returned.json").read_text())
    )
    with own_warehouse.connect() as conn:
        returns = conn.execute(
            "select order_id, region from marts.fct_returns order by 1"
        ).fetchall()
    assert len(expected) == 3
    assert returns == expected
