"""The approved plan built for real: approvals in audit.plan_approvals, dbt rebuilds what reads them.

The session's demo warehouse is copied to this module's own home (approvals change what it
measures against), fixture forecasts (``test_performance_ml_fixture``) are written for three
cycles and everything downstream of ml and audit is built; then approvals are recorded with
:mod:`orchestration.approvals` and ``dbt build -s source:audit+`` rebuilds the selection.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import replace
from datetime import date

import duckdb
import pytest
from dbt_demo_build import DBT, DemoWarehouse, copy_project
from test_performance_ml_fixture import write_fixture_forecasts

from orchestration.approvals import (
    ApprovalRefusedError,
    approval_history,
    approval_refusal,
    approved_scenarios,
    record_approval,
)
from orchestration.scenarios import load_scenarios

pytestmark = pytest.mark.xdist_group("dbt_demo")

CYCLES = [date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)]
APPROVED = date(2026, 9, 1)
REVIEWED = date(2026, 10, 1)
"""The plan month of APPROVED at lag 1, closed in the demo: what mart_plan_vs_actual scores."""
SELECTION = ("source:ml+", "source:audit+", "source:scenarios+")


def _dbt(demo: DemoWarehouse, *select: str) -> None:
    proc = subprocess.run(
        [str(DBT), "build", "--select", *select],
        cwd=demo.project_dir,
        env=demo.env(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-5000:]


@pytest.fixture(scope="module")
def approval_demo(demo_warehouse: DemoWarehouse, tmp_path_factory) -> DemoWarehouse:
    """A copy of the demo warehouse with fixture forecasts, its plans and performance marts."""
    root = tmp_path_factory.mktemp("approval_demo")
    (root / "sop_home").mkdir()
    shutil.copy(demo_warehouse.warehouse_path, root / "sop_home" / "warehouse.duckdb")
    demo = replace(
        demo_warehouse, home=root / "sop_home", project_dir=copy_project(root / "dbt_project")
    )
    (demo.home / "scenarios").mkdir()
    (demo.home / "scenarios" / "east_up.yml").write_text(
        "description: EAST +15%\nadjustments:\n  - {type: demand, region: EAST, multiplier: 1.15}\n",
        encoding="utf-8",
    )
    with duckdb.connect(str(demo.warehouse_path)) as conn:
        write_fixture_forecasts(conn, CYCLES, horizon=6)
        load_scenarios(conn, demo.home, cycle=APPROVED, requested=["east_up"])
    _dbt(demo, *SELECTION)
    return demo


def _frame(demo: DemoWarehouse, sql: str, *params):
    with demo.connect() as conn:
        return conn.execute(sql, list(params)).df()


def test_refusals_name_the_cycle_and_the_scenario(approval_demo: DemoWarehouse) -> None:
    with duckdb.connect(str(approval_demo.warehouse_path)) as conn:
        no_plan = approval_refusal(conn, date(2025, 1, 1), "base", "Ann")
        not_run = approval_refusal(conn, CYCLES[0], "east_up", "Ann")
        nobody = approval_refusal(conn, APPROVED, "base", "  ")
        with pytest.raises(ApprovalRefusedError):
            record_approval(conn, CYCLES[0], "east_up", "Ann")
        assert approval_history(conn).empty  # nothing written by a refusal
    assert no_plan.startswith("cycle 2025-01 has no plan: run `sop plan --month 2025-01`")
    assert "2026-08, 2026-09, 2026-10" in no_plan
    assert not_run.startswith("scenario 'east_up' has not been run for cycle 2026-08")
    assert "built for 2026-08: base" in not_run
    assert "--by" in nobody


def test_before_any_approval_every_cycle_plans_on_base(approval_demo: DemoWarehouse) -> None:
    selection = _frame(approval_demo, "select * from marts.mart_plan_selection order by 1")
    assert list(selection["cycle_month"].dt.date) == CYCLES
    assert set(selection["scenario"]) == {"base"}
    assert set(selection["selection"]) == {"base_not_approved"}
    assert not selection["is_approved"].any()
    assert (selection["approvals_count"] == 0).all()


def test_approving_again_keeps_the_history_and_the_latest_is_the_plan(
    approval_demo: DemoWarehouse,
) -> None:
    first_at = dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.UTC)
    with duckdb.connect(str(approval_demo.warehouse_path)) as conn:
        first = record_approval(conn, APPROVED, "base", "Ann", "first meeting", now=first_at)
        second = record_approval(
            conn, APPROVED, "base", "Bo", "confirmed", now=first_at + dt.timedelta(days=1)
        )
        latest = approved_scenarios(conn)
    assert latest == {APPROVED: second}
    _dbt(approval_demo, *SELECTION)
    history = _frame(approval_demo, "select * from marts.mart_plan_approvals order by approved_at")
    assert list(history["approval_id"]) == [first.approval_id, second.approval_id]
    assert list(history["approved_by"]) == ["Ann", "Bo"]
    assert list(history["is_latest"]) == [False, True]
    assert list(history["note"]) == ["first meeting", "confirmed"]
    selection = _frame(
        approval_demo, "select * from marts.mart_plan_selection where cycle_month = ?", APPROVED
    ).iloc[0]
    assert selection["is_approved"]
    assert selection["approved_by"] == "Bo"
    assert selection["approval_id"] == second.approval_id
    assert selection["approvals_count"] == 2
    others = _frame(
        approval_demo, "select * from marts.mart_plan_selection where cycle_month <> ?", APPROVED
    )
    assert not others["is_approved"].any()


MEASURES = (
    "revenue",
    "gross_margin",
    "closing_inventory_value",
    "cash_position",
    "projected_service_level",
    "capacity_shortfall_units",
    "units_short",
    "budget_gap",
)


def test_comparison_base_rows_differ_from_base_by_zero(approval_demo: DemoWarehouse) -> None:
    rows = _frame(approval_demo, "select * from marts.mart_scenario_comparison where is_base")
    assert set(rows["cycle_month"].dt.date) == set(CYCLES)
    totals = rows[rows["period"] == "total"]
    assert len(totals) == len(CYCLES) and totals["month"].isna().all()
    for measure in MEASURES:
        has_value = rows[measure].notna()
        assert has_value.any(), f"{measure}: the demo sends every source"
        assert (rows.loc[has_value, f"{measure}_vs_base"].astype(float) == 0).all(), measure
        assert rows.loc[~has_value, f"{measure}_vs_base"].isna().all(), measure


def test_comparison_totals_add_up_the_plan_marts(approval_demo: DemoWarehouse) -> None:
    plan = _frame(
        approval_demo,
        "select cycle_month, round(sum(revenue_p50), 2) as revenue, "
        "round(sum(gross_margin_p50), 2) as gross_margin from marts.mart_financial_plan "
        "where scenario = 'base' "
        "group by 1 order by 1",
    )
    totals = _frame(
        approval_demo,
        "select cycle_month, revenue, gross_margin from marts.mart_scenario_comparison "
        "where is_base and period = 'total' order by 1",
    )
    assert list(totals["cycle_month"]) == list(plan["cycle_month"])
    for column in ("revenue", "gross_margin"):
        diff = (totals[column].astype(float) - plan[column].astype(float)).abs()
        assert (diff <= 0.01 * 12).all(), column  # monthly rounding to the cent, 6-12 months
    months = _frame(
        approval_demo,
        "select cycle_month, count(*) as months, min(projected_service_level) as low, "
        "max(projected_service_level) as high from marts.mart_scenario_comparison "
        "where is_base and period = 'month' group by 1",
    )
    assert (months["months"] >= 6).all()
    assert (months["low"] >= 0).all() and (months["high"] <= 1).all()


def _plan_vs_actual_total(demo: DemoWarehouse):
    return _frame(
        demo,
        "select planned_production_units, target_stock_units, safety_stock_units "
        "from marts.mart_plan_vs_actual where level = 'total' and month = ?",
        REVIEWED,
    ).iloc[0]


def _planned_by_region(demo: DemoWarehouse) -> dict[str, tuple[float, float]]:
    rows = _frame(
        demo,
        "select subject, planned_units, planned_revenue from marts.mart_plan_vs_actual "
        "where level = 'region' and month = ? order by subject",
        REVIEWED,
    )
    return {
        r.subject: (float(r.planned_units), float(r.planned_revenue))
        for r in rows.itertuples(index=False)
    }


def _supply_plan_total(demo: DemoWarehouse, scenario: str):
    return _frame(
        demo,
        "select sum(planned_production_units) as planned_production_units, "
        "sum(target_stock_units) as target_stock_units from marts.mart_supply_plan "
        "where cycle_month = ? and scenario = ? and month = ?",
        APPROVED,
        scenario,
        REVIEWED,
    ).iloc[0]


def test_comparison_shows_the_east_scenario_revenue_difference(
    approval_demo: DemoWarehouse,
) -> None:
    east_base = _frame(
        approval_demo,
        "select month, sum(revenue_p50) as revenue from marts.mart_financial_plan "
        "where cycle_month = ? and scenario = 'base' and region = 'EAST' group by 1 order by 1",
        APPROVED,
    )
    rows = _frame(
        approval_demo,
        "select * from marts.mart_scenario_comparison where cycle_month = ? "
        "and scenario = 'east_up' order by period, month",
        APPROVED,
    )
    months = rows[rows["period"] == "month"]
    assert list(months["month"]) == list(east_base["month"])
    expected = (0.15 * east_base["revenue"]).round(2).to_numpy()
    assert (abs(months["revenue_vs_base"].astype(float).to_numpy() - expected) <= 0.011).all()
    total = rows[rows["period"] == "total"].iloc[0]
    assert float(total["revenue_vs_base"]) == pytest.approx(
        expected.sum(), abs=0.01 * len(expected)
    )
    assert float(total["revenue_vs_base"]) > 0
    other_cycles = _frame(
        approval_demo,
        "select distinct scenario from marts.mart_scenario_comparison where cycle_month <> ?",
        APPROVED,
    )
    assert list(other_cycles["scenario"]) == ["base"]


def test_approving_a_scenario_changes_what_performance_is_measured_against(
    approval_demo: DemoWarehouse,
) -> None:
    before = _plan_vs_actual_total(approval_demo)
    planned_before = _planned_by_region(approval_demo)
    base, east = (_supply_plan_total(approval_demo, s) for s in ("base", "east_up"))
    assert before["target_stock_units"] == pytest.approx(base["target_stock_units"])
    assert east["target_stock_units"] != pytest.approx(base["target_stock_units"])
    with duckdb.connect(str(approval_demo.warehouse_path)) as conn:
        approved = record_approval(conn, APPROVED, "east_up", "Cai", "EAST launch confirmed")
        assert len(approval_history(conn)) >= 1
    _dbt(approval_demo, *SELECTION)
    after = _plan_vs_actual_total(approval_demo)
    planned_after = _planned_by_region(approval_demo)
    assert set(planned_after) == set(planned_before) and "EAST" in planned_after
    for region, (units, revenue) in planned_after.items():
        units_before, revenue_before = planned_before[region]
        if region == "EAST":  # the approved plan's +15%, not the consensus x price
            assert revenue_before > 0
            assert units == pytest.approx(1.15 * units_before, rel=1e-9)
            assert revenue == pytest.approx(1.15 * revenue_before, abs=0.02)  # cents
        else:
            assert (units, revenue) == pytest.approx((units_before, revenue_before), abs=1e-9)
    assert after["target_stock_units"] == pytest.approx(east["target_stock_units"])
    assert after["planned_production_units"] == pytest.approx(east["planned_production_units"])
    selection = _frame(
        approval_demo, "select * from marts.mart_plan_selection where cycle_month = ?", APPROVED
    ).iloc[0]
    assert (selection["scenario"], selection["approval_id"]) == ("east_up", approved.approval_id)
    history = _frame(
        approval_demo,
        "select scenario, is_latest from marts.mart_plan_approvals where cycle_month = ? "
        "order by approved_at",
        APPROVED,
    )
    assert list(history["scenario"])[-1] == "east_up" and history["is_latest"].sum() == 1
    assert len(history) >= 2  # the earlier base approvals are kept
