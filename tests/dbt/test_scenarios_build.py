"""What-if scenarios built for real: the plan marts per scenario on the demo + ml test fixture.

The session's demo warehouse, once it holds test_plans_build's ml fixture and base plan build
(done once per process and shared), is copied; its base marts are kept, then four scenario
files are loaded for the second cycle and the copy's plans rebuilt with dbt. (That base equals the plan of the code
before scenarios was checked once, when scenarios landed, against a build of that code.) Each test checks one acceptance rule of
issue 17 against the base numbers; bad files are refused with nothing written.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from dbt_demo_build import DBT, DemoWarehouse
from test_plans_build import CYCLES, PLAN_SELECTION, PlansBuild, _build

from orchestration.scenarios import ScenarioError, load_scenarios

pytestmark = pytest.mark.xdist_group("dbt_demo")

CYCLE = CYCLES[1]
PLAN_MARTS = (
    "mart_inventory_policy",
    "mart_production_requirements",
    "mart_production_allocation",
    "mart_supply_plan",
    "mart_capacity_plan",
    "mart_procurement_plan",
    "mart_financial_plan",
    "mart_cash_flow_plan",
    "mart_budget_gap",
    "mart_sop_exceptions",
)
KEYS = {
    "mart_inventory_policy": ["cycle_month", "sku"],
    "mart_production_requirements": ["cycle_month", "sku", "month"],
    "mart_production_allocation": ["cycle_month", "sku", "month"],
    "mart_supply_plan": ["cycle_month", "sku", "month"],
    "mart_capacity_plan": ["cycle_month", "production_line", "month"],
    "mart_procurement_plan": ["procurement_plan_id"],
    "mart_financial_plan": ["cycle_month", "month", "product_line", "region"],
    "mart_cash_flow_plan": ["cycle_month", "month"],
    "mart_budget_gap": ["cycle_month", "month", "product_line", "region"],
    "mart_sop_exceptions": ["exception_id"],
}


@dataclass(frozen=True)
class ScenarioBuild:
    base_before: dict[str, pd.DataFrame]
    plans: PlansBuild
    line: str

    def frame(self, sql: str, *params) -> pd.DataFrame:
        return self.plans.frame(sql, *params)


def _copy_demo(demo: DemoWarehouse, root: Path) -> DemoWarehouse:
    """A private copy of the demo home and dbt project: the shared build stays scenario-free."""
    home = root / "sop_home"
    shutil.copytree(demo.home, home)
    project = root / "dbt_project"
    shutil.copytree(demo.project_dir, project, ignore=shutil.ignore_patterns("target", "logs"))
    return replace(demo, home=home, project_dir=project)


def _write(home: Path, name: str, text: str) -> Path:
    folder = home / "scenarios"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.yml"
    path.write_text(text, encoding="utf-8")
    return path


def _rebuild(demo: DemoWarehouse) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(DBT), "build", "--select", *PLAN_SELECTION],
        cwd=demo.project_dir,
        env=demo.env(),
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="module")
def scenarios(demo_warehouse: DemoWarehouse, tmp_path_factory) -> ScenarioBuild:
    base = _build(demo_warehouse)  # test_plans_build's, once per process: no scenario, base alone
    if base.returncode != 0:
        pytest.fail(f"base plan build failed:\n{base.output[-6000:]}")
    demo = _copy_demo(demo_warehouse, tmp_path_factory.mktemp("scenario_demo"))
    with demo.connect() as conn:
        before = {
            t: conn.execute(f"select * exclude (scenario) from marts.{t}").df() for t in PLAN_MARTS
        }
        line = conn.execute(
            "select production_line from marts.mart_capacity_plan where cycle_month = ? "
            "group by all order by sum(required_units) desc limit 1",
            [CYCLE],
        ).fetchone()[0]
    _write(
        demo.home,
        "east_up",
        "description: EAST +15%\nadjustments:\n"
        "  - {type: demand, region: EAST, multiplier: 1.15}\n",
    )
    _write(
        demo.home,
        "line_cut",
        f"adjustments:\n  - {{type: capacity, production_line: {line}, multiplier: 0.5}}\n",
    )
    _write(
        demo.home,
        "late_key",
        "adjustments:\n  - {type: payment_terms, customer_tier: standard, days: 30}\n",
    )
    _write(demo.home, "p90", "adjustments:\n  - {type: demand_quantile, quantile: p90}\n")
    conn = duckdb.connect(str(demo.warehouse_path))
    try:
        runs = load_scenarios(conn, demo.home, cycle=CYCLE)
    finally:
        conn.close()
    assert sorted(runs["scenario"]) == ["east_up", "late_key", "line_cut", "p90"]
    proc = _rebuild(demo)
    if proc.returncode != 0:
        pytest.fail(f"scenario build failed:\n{(proc.stdout + proc.stderr)[-6000:]}")
    return ScenarioBuild(before, PlansBuild(demo, 0.0, 0, "", []), line)


def _scenario(build: ScenarioBuild, table: str, scenario: str) -> pd.DataFrame:
    return build.frame(
        f"select * from marts.{table} where cycle_month = ? and scenario = ?", CYCLE, scenario
    )


def test_base_rows_are_untouched_by_the_scenarios_beside_them(scenarios: ScenarioBuild) -> None:
    for table in PLAN_MARTS:
        before = scenarios.base_before[table]
        after = scenarios.frame(f"select * from marts.{table} where scenario = 'base'")
        after = after.drop(columns="scenario")[list(before.columns)]
        keys = KEYS[table]
        left = before.sort_values(keys, ignore_index=True)
        right = after.sort_values(keys, ignore_index=True)
        assert len(left) == len(right), table
        pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-12, atol=1e-9)


def test_every_plan_mart_has_scenario_right_after_cycle_month(scenarios: ScenarioBuild) -> None:
    for table in PLAN_MARTS:
        columns = list(scenarios.frame(f"select * from marts.{table} limit 0").columns)
        position = columns.index("cycle_month")
        assert columns[position + 1] == "scenario", table
    planned = scenarios.frame("select * from marts.dim_scenario order by all")
    assert set(planned.loc[planned["is_base"], "cycle_month"].dt.date) == set(CYCLES)
    assert sorted(planned.loc[~planned["is_base"], "scenario"]) == [
        "east_up",
        "late_key",
        "line_cut",
        "p90",
    ]
    assert set(planned.loc[~planned["is_base"], "cycle_month"].dt.date) == {CYCLE}


def test_east_plus_15_percent_raises_east_units_and_revenue_only(scenarios: ScenarioBuild) -> None:
    base = _scenario(scenarios, "mart_financial_plan", "base").set_index(
        ["month", "product_line", "region"]
    )
    east = _scenario(scenarios, "mart_financial_plan", "east_up").set_index(
        ["month", "product_line", "region"]
    )
    east = east.loc[base.index]
    is_east = base.index.get_level_values("region") == "EAST"
    assert is_east.any() and (~is_east).any()
    for column in ("units_p50", "revenue_p50", "units_p10", "revenue_p10"):
        np.testing.assert_allclose(
            east.loc[is_east, column], 1.15 * base.loc[is_east, column], rtol=0, atol=0.005
        )
        np.testing.assert_allclose(
            east.loc[~is_east, column], base.loc[~is_east, column], rtol=0, atol=0.005
        )
    total_east = east.loc[is_east, "revenue_p50"].sum()
    assert round(total_east, 2) == round(1.15 * base.loc[is_east, "revenue_p50"].sum(), 2)
    cash_base = _scenario(scenarios, "mart_cash_flow_plan", "base")["revenue_p50"].sum()
    cash_east = _scenario(scenarios, "mart_cash_flow_plan", "east_up")["revenue_p50"].sum()
    assert cash_east - cash_base == pytest.approx(
        0.15 * base.loc[is_east, "revenue_p50"].sum(), abs=0.01
    )


def test_capacity_cut_gives_the_shortfall_the_invariants_predict(scenarios: ScenarioBuild) -> None:
    line = scenarios.line
    base = _scenario(scenarios, "mart_capacity_plan", "base").sort_values(
        ["production_line", "month"]
    )
    cut = _scenario(scenarios, "mart_capacity_plan", "line_cut").sort_values(
        ["production_line", "month"]
    )
    on_line = cut["production_line"] == line
    np.testing.assert_allclose(
        cut.loc[on_line, "available_units"].to_numpy(),
        0.5 * base.loc[base["production_line"] == line, "available_units"].to_numpy(),
    )
    others = cut.loc[~on_line].reset_index(drop=True)
    pd.testing.assert_series_equal(
        others["planned_units"],
        base.loc[base["production_line"] != line, "planned_units"].reset_index(drop=True),
    )
    line_rows = cut.loc[on_line]
    assert (line_rows["planned_units"] <= line_rows["available_units"] + 1e-6).all()
    excess = line_rows["cumulative_required_units"] - line_rows["cumulative_available_units"]
    expected = np.maximum.accumulate(np.maximum(excess.to_numpy(), 0.0))
    np.testing.assert_allclose(
        line_rows["shortfall_units"].cumsum().to_numpy(), expected, atol=1e-6
    )
    assert (
        line_rows["shortfall_units"].sum()
        > base.loc[base["production_line"] == line, "shortfall_units"].sum()
    )
    assert line_rows["planned_units"].sum() + line_rows["shortfall_units"].sum() == pytest.approx(
        line_rows["required_units"].sum(), rel=1e-9
    )
    exceptions = _scenario(scenarios, "mart_sop_exceptions", "line_cut")
    short = exceptions.loc[
        (exceptions["exception_type"] == "capacity_shortfall")
        & (exceptions["production_line"] == line)
    ]
    assert len(short) == 1
    assert short["units"].iloc[0] == pytest.approx(line_rows["shortfall_units"].sum())


def test_payment_terms_move_cash_by_the_invoices_they_delay(scenarios: ScenarioBuild) -> None:
    base = _scenario(scenarios, "mart_cash_flow_plan", "base").set_index("month")
    late = _scenario(scenarios, "mart_cash_flow_plan", "late_key").set_index("month")
    months = base.index.union(late.index)
    base, late = base.reindex(months).fillna(0), late.reindex(months).fillna(0)
    assert late["collections_p50"].sum() == pytest.approx(base["collections_p50"].sum(), rel=1e-9)
    np.testing.assert_allclose(late["revenue_p50"], base["revenue_p50"])
    moved = base["collections_p50"].cumsum() - late["collections_p50"].cumsum()
    assert (moved >= -1e-6).all() and moved.max() > 0
    # 30 days = 30 / 30.4375 of a month: that share of the key tier's collections moves a month
    with scenarios.plans.demo.connect() as conn:
        key_share_of_cash = conn.execute(
            "select sum(invoice_amount) filter (where c.tier = 'standard') / sum(invoice_amount) "
            "from marts.fct_invoices i join marts.dim_customer c using (customer_id)"
        ).fetchone()[0]
    assert 0 < key_share_of_cash < 1
    share_moved = moved.iloc[:-1].sum() / base["collections_p50"].iloc[:-1].cumsum().sum()
    assert 0 < share_moved < 30 / 30.4375


def test_p90_demand_raises_safety_stock_and_procurement(scenarios: ScenarioBuild) -> None:
    base = _scenario(scenarios, "mart_inventory_policy", "base")
    p90 = _scenario(scenarios, "mart_inventory_policy", "p90")
    assert p90["safety_stock_units"].sum() > base["safety_stock_units"].sum()
    gain = p90.set_index("sku")["safety_stock_units"] - base.set_index("sku")["safety_stock_units"]
    assert (gain.dropna() >= -1e-9).all()
    base_buy = _scenario(scenarios, "mart_procurement_plan", "base")["required_qty"].sum()
    p90_buy = _scenario(scenarios, "mart_procurement_plan", "p90")["required_qty"].sum()
    assert p90_buy > base_buy > 0


@pytest.mark.parametrize(
    ("text", "key", "allowed"),
    [
        (
            "  - {type: demand, region: ATLANTIS, multiplier: 1.1}\n",
            "adjustments[0].region",
            "EAST",
        ),
        (
            "  - {type: capacity, production_line: X, multiplier: -0.2}\n",
            "adjustments[0].multiplier",
            "greater than or equal to 0",
        ),
        (
            "  - {type: demand, regoin: EAST, multiplier: 1.1}\n",
            "adjustments[0].regoin",
            "allowed keys: change_units, channel, months",
        ),
    ],
)
def test_bad_files_are_refused_naming_file_and_key_and_nothing_is_written(
    scenarios: ScenarioBuild, tmp_path: Path, text: str, key: str, allowed: str
) -> None:
    demo = scenarios.plans.demo
    with demo.connect() as conn:
        before = conn.execute("select * from scenarios.scenario_adjustments order by all").df()
    path = _write(demo.home, "zz_bad", "adjustments:\n" + text)
    try:
        conn = duckdb.connect(str(demo.warehouse_path))
        try:
            with pytest.raises(ScenarioError) as error:
                load_scenarios(conn, demo.home, cycle=CYCLE)
        finally:
            conn.close()
    finally:
        path.unlink()
    message = str(error.value)
    assert str(path) in message and key in message and allowed in message, message
    with demo.connect() as conn:
        after = conn.execute("select * from scenarios.scenario_adjustments order by all").df()
    pd.testing.assert_frame_equal(before, after)
