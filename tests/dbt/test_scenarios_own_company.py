"""Scenarios on a company without optional sources: products, customers and order lines only.

``tests/own_company.py``'s company (history from 2019, regions ``Central``, ``North-East``...)
is loaded and its warehouse built with the vars ``sop scenario run`` passes (sources provided,
the calendar from its own history); fixture forecasts stand in for two cycles and the plans are
built. Then ``run_scenarios`` (what ``sop scenario run`` calls) refuses a capacity and a
payment-terms scenario as not applicable, naming the missing sources, and runs a demand one:
the comparison has its revenue, and NULL, not 0, where the company sends no source.
"""

from __future__ import annotations

import subprocess
from datetime import date

import duckdb
import pytest
from dbt_demo_build import DBT, DemoWarehouse, copy_project
from test_performance_ml_fixture import write_fixture_forecasts

from ingestion.loader import load_all
from orchestration.scenarios import ScenarioError
from orchestration.scenarios.run import run_scenarios, scenario_dbt_vars
from tests.own_company import write_own_company

pytestmark = [pytest.mark.xdist_group("dbt_own_scenarios"), pytest.mark.timeout(2400)]

CYCLES = [date(2021, 2, 1), date(2021, 3, 1)]
CYCLE = date(2021, 3, 1)
NOT_SENT = (
    "closing_inventory_value",
    "cash_position",
    "projected_service_level",
    "capacity_shortfall_units",
    "units_short",
    "budget_gap",
)


@pytest.fixture(scope="module")
def own(tmp_path_factory) -> DemoWarehouse:
    root = tmp_path_factory.mktemp("own_scenarios")
    home = root / "sop_home"
    write_own_company(home / "landing")
    (home / "platform.yml").write_text(
        "sources:\n  provided: [products, customers, order_lines]\n", encoding="utf-8"
    )
    with duckdb.connect(str(home / "warehouse.duckdb")) as conn:
        outcome = load_all(conn, home / "landing")
    assert not outcome.errors, outcome.errors
    own = DemoWarehouse(
        home=home,
        landing_dir=home / "landing",
        project_dir=copy_project(root / "dbt_project"),
        build_seconds=0.0,
        build_output="",
        run_results={},
    )
    vars_args = scenario_dbt_vars(home)
    assert '"calendar_start_date": "2019-01-01"' in vars_args[1]  # the company's own history
    _build(own, ["--exclude", "source:ml+"], vars_args)
    with duckdb.connect(str(own.warehouse_path)) as conn:
        write_fixture_forecasts(conn, CYCLES, horizon=3)
    _build(own, ["--select", "source:ml+"], vars_args)
    return own


def _build(own: DemoWarehouse, selection: list[str], vars_args: list[str]) -> None:
    proc = subprocess.run(
        [str(DBT), "build", *selection, *vars_args],
        cwd=own.project_dir,
        env=own.env(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-5000:]


def _write(own: DemoWarehouse, name: str, adjustment: str) -> None:
    folder = own.home / "scenarios"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.yml").write_text(f"adjustments:\n  - {adjustment}\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "adjustment", "sources"),
    [
        ("line_cut", "{type: capacity, production_line: L1, multiplier: 0.8}", "capacity"),
        ("pay_later", "{type: payment_terms, days: 30}", "invoices"),
    ],
)
def test_supply_and_cash_scenarios_are_not_applicable(own, name, adjustment, sources) -> None:
    _write(own, name, adjustment)
    try:
        with pytest.raises(ScenarioError) as refused:
            run_scenarios(own.home, CYCLE, [name])
    finally:
        (own.home / "scenarios" / f"{name}.yml").unlink()
    message = str(refused.value)
    assert f"{name}.yml: adjustments[0].type" in message
    assert "not applicable" in message and sources in message
    with own.connect() as conn:
        assert conn.execute("select count(*) from scenarios.scenario_runs").fetchone()[0] == 0


def test_a_demand_scenario_runs_and_missing_sources_stay_null(own) -> None:
    _write(own, "central_up", "{type: demand, region: Central, multiplier: 1.1}")
    run_scenarios(own.home, CYCLE, ["central_up"])
    with own.connect() as conn:
        rows = conn.execute(
            "select * from marts.mart_scenario_comparison where cycle_month = ? "
            "and period = 'total' order by scenario",
            [CYCLE],
        ).df()
        central = conn.execute(
            "select scenario, sum(revenue_p50) from marts.mart_financial_plan "
            "where cycle_month = ? and region = 'Central' group by 1 order by 1",
            [CYCLE],
        ).fetchall()
    assert list(rows["scenario"]) == ["base", "central_up"]
    up = rows.iloc[1]
    assert float(up["revenue"]) > 0
    (_, base), (_, scenario) = central
    assert float(up["revenue_vs_base"]) == pytest.approx(float(scenario) - float(base), abs=0.05)
    assert float(scenario) == pytest.approx(1.1 * float(base), rel=1e-6)
    for measure in NOT_SENT:
        assert rows[measure].isna().all(), measure
        assert rows[f"{measure}_vs_base"].isna().all(), measure
