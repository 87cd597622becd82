"""The plan marts built for real: demo warehouse + ml test fixture + `dbt build -s source:ml+`.

The session's demo warehouse (conftest ``demo_warehouse``) is extended once per process
with ml.forecast for two cycles from a transparent TEST FIXTURE (not a forecaster, see
``write_ml_fixture``; the consensus over it is dbt's int_consensus_allocated), then the forecast and plan marts are built
with their dbt tests (``dbt build --select`` those models only). The tests here check the supply side's invariants on that build;
``test_plans_finance.py`` checks the money side on the same build.
"""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pytest
from dbt_demo_build import DBT, DemoWarehouse

from planning.policy import service_level_z

pytestmark = pytest.mark.xdist_group("dbt_demo")

CYCLES = [date(2026, 9, 1), date(2026, 10, 1)]
HORIZON = 18
PLAN_SELECTION = [
    "fct_forecast",
    "fct_consensus_forecast",
    "stg_scenarios__adjustments",
    "stg_scenarios__runs",
    "dim_scenario",
    "int_scenario_demand",
    "int_scenario_capacity",
    "int_plan_scenario_selected",
    "source:ml+,path:models/intermediate/demand",
    "source:ml+,path:models/intermediate/supply",
    "source:ml+,path:models/intermediate/finance",
    "source:ml+,path:models/intermediate/planning",
    "source:ml+,path:models/marts/supply",
    "source:ml+,path:models/marts/finance",
]
"""The forecast marts and the plan marts (not the performance marts other work builds on ml)."""
Z90 = 1.2815515655446004
TOL = 1e-6


# --- TEST FIXTURE: ml tables from demand, until the forecasting cycle writes them -------------


def _cycle_forecast(demand: pd.DataFrame, cycle: pd.Timestamp) -> pd.DataFrame:
    """Per series: P50 = mean of the last 3 months, P10/P90 = P50 -/+ 1.2816 x std of 12 months,
    naive = same month last year (else last month). Only months up to the cycle are read."""
    rows = []
    known = demand.loc[demand["month"] <= cycle]
    for (sku, line, region, channel), series in known.groupby(
        ["sku", "product_line", "region", "channel"], sort=True
    ):
        values = series.set_index("month")["ordered_units"].astype(float)
        p50 = values.iloc[-3:].mean()
        sigma = values.iloc[-12:].std(ddof=0) if len(values) > 1 else p50
        for lag in range(1, HORIZON + 1):
            target = cycle + pd.DateOffset(months=lag)
            naive = values.get(target - pd.DateOffset(months=12), values.iloc[-1])
            rows.append(
                (
                    cycle,
                    sku,
                    line,
                    region,
                    channel,
                    target,
                    lag,
                    max(p50 - Z90 * sigma, 0.0),
                    p50,
                    p50 + Z90 * sigma,
                    float(naive),
                )
            )
    return pd.DataFrame(
        rows,
        columns=[
            "cycle_month",
            "sku",
            "product_line",
            "region",
            "channel",
            "target_month",
            "lag",
            "p10",
            "p50",
            "p90",
            "naive",
        ],
    )


def write_ml_fixture(conn: duckdb.DuckDBPyConnection, cycles: list[date]) -> None:
    """Write ml.forecast and ml.forecast_levels for ``cycles`` from marts.fct_demand_monthly.

    The consensus is not written here: dbt spreads the demo's sales-team submissions over this
    forecast (int_consensus_allocated).
    """
    demand = conn.execute(
        "select sku, product_line, region, channel, month, ordered_units "
        "from marts.fct_demand_monthly order by all"
    ).df()
    demand["month"] = pd.to_datetime(demand["month"])
    forecast = pd.concat(
        [_cycle_forecast(demand, pd.Timestamp(c)) for c in cycles], ignore_index=True
    )
    forecast = forecast.assign(model="test_fixture_moving_average", demand_class="smooth")
    for column in ("cycle_month", "target_month"):
        forecast[column] = forecast[column].dt.date
    # level bands (as the middle-out forecast writes them) for the first half of the cycles only,
    # so the plans show both range sources: P10 = 0.9 x P50, P90 = 1.15 x P50
    banded = forecast[
        forecast["cycle_month"].isin(
            sorted(set(forecast["cycle_month"]))[: max(len(cycles) // 2, 1)]
        )
    ]
    levels = banded.groupby(
        ["cycle_month", "product_line", "region", "target_month", "lag"], as_index=False
    )["p50"].sum()
    skus = (
        banded.groupby(
            ["cycle_month", "product_line", "sku", "target_month", "lag"], as_index=False
        )["p50"]
        .sum()
        .assign(level="sku")
    )
    levels = pd.concat([levels.assign(level="product_line_region"), skus], ignore_index=True)
    levels = levels.assign(p10=levels["p50"] * 0.9, p90=levels["p50"] * 1.15)
    conn.execute("create schema if not exists ml")
    for name, frame in (
        ("forecast", forecast),
        ("forecast_levels", levels),
    ):
        conn.register("ml_frame", frame)
        conn.execute(f"create or replace table ml.{name} as select * from ml_frame")
        conn.unregister("ml_frame")


# --- the build ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlansBuild:
    """The demo warehouse after the plan build, with how that build went."""

    demo: DemoWarehouse
    seconds: float
    returncode: int
    output: str
    results: list

    def frame(self, sql: str, *params) -> pd.DataFrame:
        """Run a read-only query on the built warehouse."""
        with self.demo.connect() as conn:
            return conn.execute(sql, list(params)).df()


_BUILDS: dict[str, PlansBuild] = {}


def _build(demo: DemoWarehouse) -> PlansBuild:
    """Write the ml fixture and build the plan marts, once per warehouse and process."""
    key = str(demo.warehouse_path)
    if key not in _BUILDS:
        _BUILDS[key] = _build_plans(demo)
    return _BUILDS[key]


def _build_plans(demo: DemoWarehouse) -> PlansBuild:
    conn = duckdb.connect(str(demo.warehouse_path))
    try:
        write_ml_fixture(conn, CYCLES)
    finally:
        conn.close()
    started = time.perf_counter()
    proc = subprocess.run(
        [str(DBT), "build", "--select", *PLAN_SELECTION],
        cwd=demo.project_dir,
        env=demo.env(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    seconds = time.perf_counter() - started
    results_path = demo.project_dir / "target" / "run_results.json"
    results = json.loads(results_path.read_text())["results"] if results_path.exists() else []
    return PlansBuild(demo, seconds, proc.returncode, proc.stdout + proc.stderr, results)


@pytest.fixture(scope="module")
def plans(demo_warehouse: DemoWarehouse) -> PlansBuild:
    """The plan marts built over the session's demo warehouse (once per process)."""
    build = _build(demo_warehouse)
    if build.returncode != 0:
        pytest.fail(f"plan build failed:\n{build.output[-6000:]}")
    return build


# --- supply-side invariants --------------------------------------------------------------------


def test_plan_build_is_green_for_every_cycle(plans: PlansBuild) -> None:
    failed = [
        (r["unique_id"], r["status"])
        for r in plans.results
        if r["status"] not in ("success", "pass")
    ]
    assert not failed
    kinds = [r["unique_id"].split(".")[0] for r in plans.results]
    print(
        f"plan build: {plans.seconds:.1f}s, {kinds.count('model')} models, "
        f"{kinds.count('test')} data tests"
    )
    assert kinds.count("model") >= 13
    for table in (
        "fct_forecast",
        "fct_consensus_forecast",
        "mart_inventory_policy",
        "mart_supply_plan",
        "mart_capacity_plan",
        "mart_procurement_plan",
        "mart_financial_plan",
        "mart_cash_flow_plan",
        "mart_budget_gap",
    ):
        cycles = plans.frame(f"select distinct cycle_month from marts.{table} order by 1")
        assert list(cycles["cycle_month"].dt.date) == CYCLES, table


def test_stock_balances_every_month_from_the_cycle_count(plans: PlansBuild) -> None:
    plan = plans.frame("select * from marts.mart_supply_plan order by cycle_month, sku, month")
    balance = (
        plan["opening_stock_units"]
        + plan["planned_production_units"]
        - plan["consensus_demand_units"]
        - plan["closing_stock_units"]
    )
    assert balance.abs().max() < TOL
    previous_close = plan.groupby(["cycle_month", "sku"])["closing_stock_units"].shift()
    chained = previous_close.notna()
    assert (plan.loc[chained, "opening_stock_units"] - previous_close[chained]).abs().max() < TOL

    counts = plans.frame(
        "select snapshot_date, sku, warehouse_id, on_hand_qty from marts.fct_inventory_snapshots"
    )
    for cycle in CYCLES:
        month_end = pd.Timestamp(cycle) + pd.offsets.MonthEnd(0)
        known = counts.loc[counts["snapshot_date"] <= month_end]
        latest = known.loc[known.groupby(["sku", "warehouse_id"])["snapshot_date"].idxmax()]
        expected = latest.groupby("sku")["on_hand_qty"].sum()
        first = plan.loc[(plan["cycle_month"] == pd.Timestamp(cycle)) & (plan["lag_months"] == 1)]
        got = first.set_index("sku")["opening_stock_units"]
        pd.testing.assert_series_equal(
            got.sort_index(),
            expected.reindex(got.index).fillna(0).astype(float).sort_index(),
            check_names=False,
        )


def test_production_never_above_capacity(plans: PlansBuild) -> None:
    lines = plans.frame("select * from marts.mart_capacity_plan")
    assert (lines["planned_units"] <= lines["available_units"] + TOL).all()
    per_line = plans.frame(
        "select cycle_month, production_line, month, sum(planned_production_units) as planned "
        "from marts.mart_supply_plan group by all"
    )
    merged = lines.merge(per_line, on=["cycle_month", "production_line", "month"])
    assert len(merged) == len(lines)
    assert (merged["planned"] - merged["planned_units"]).abs().max() < TOL


def test_shortfall_exactly_when_cumulative_requirement_exceeds_cumulative_capacity(
    plans: PlansBuild,
) -> None:
    lines = plans.frame("select * from marts.mart_capacity_plan order by all")
    for _, line in lines.groupby(["cycle_month", "production_line"]):
        excess = line["cumulative_required_units"] - line["cumulative_available_units"]
        expected = np.maximum.accumulate(np.maximum(excess.to_numpy(), 0.0))
        np.testing.assert_allclose(line["shortfall_units"].cumsum().to_numpy(), expected, atol=1e-6)
    total_required = lines["required_units"].sum()
    made_plus_short = lines["planned_units"].sum() + lines["shortfall_units"].sum()
    assert made_plus_short == pytest.approx(total_required, rel=1e-9)


def test_capacity_shortfalls_become_exceptions_with_revenue_at_risk(plans: PlansBuild) -> None:
    short = plans.frame(
        "select cycle_month, production_line, sum(shortfall_units) as units, "
        "sum(revenue_at_risk) as at_risk, count_if(shortfall_units > 0) as months "
        "from marts.mart_capacity_plan group by all having sum(shortfall_units) > 0"
    )
    exceptions = plans.frame(
        "select * from marts.mart_sop_exceptions where exception_type = 'capacity_shortfall'"
    )
    merged = short.merge(
        exceptions, on=["cycle_month", "production_line"], how="outer", indicator=True
    )
    assert (merged["_merge"] == "both").all()
    assert np.allclose(merged["units_x"], merged["units_y"])
    assert np.allclose(merged["at_risk"], merged["amount"])
    assert (merged["months"] == merged["months_affected"]).all()


def test_exceptions_have_owner_severity_and_stable_ids(plans: PlansBuild) -> None:
    exceptions = plans.frame("select * from marts.mart_sop_exceptions")
    assert len(exceptions) > 0
    assert (exceptions["owner_name"] != "unassigned").all()
    expected_ids = (
        exceptions["cycle_month"].dt.strftime("%Y-%m-%d")
        + "-"
        + exceptions["exception_type"]
        + "-"
        + exceptions["subject"]
    )
    assert (exceptions["exception_id"] == expected_ids).all()
    breaches = plans.frame(
        "select distinct cycle_month, sku from marts.mart_supply_plan where is_below_safety_stock"
    )
    listed = exceptions.loc[
        exceptions["exception_type"] == "below_safety_stock", ["cycle_month", "sku"]
    ]
    assert len(breaches.merge(listed)) == len(breaches) == len(listed)


def test_safety_stock_sigma_from_the_sku_band(plans: PlansBuild) -> None:
    """A SKU band with P50 > 0: sigma = consensus lag-1 units x (P90 - P10) / P50 / 2.563; else
    the series' bands combined (root of the sum of squares)."""
    policy = plans.frame(
        "select p.cycle_month, p.sku, p.demand_sigma_month, c.units, c.rss "
        "from marts.mart_inventory_policy p join (select cycle_month, sku, "
        "sum(consensus_units) as units, sqrt(sum(power((consensus_p90_units - "
        "consensus_p10_units) / (2 * 1.2815515655446004), 2))) as rss "
        "from marts.fct_consensus_forecast where lag_months = 1 group by all) c "
        "using (cycle_month, sku)"
    )
    banded = plans.frame(
        "select distinct cycle_month, sku from ml.forecast_levels "
        "where level = 'sku' and lag = 1 and p50 > 0"
    ).assign(banded=True)
    policy = policy.merge(banded, on=["cycle_month", "sku"], how="left")
    has_band = policy["banded"].eq(True).to_numpy()
    assert has_band.any() and not has_band.all()
    np.testing.assert_allclose(
        policy.loc[has_band, "demand_sigma_month"],
        policy.loc[has_band, "units"] * 0.25 / (2 * 1.2815515655446004),
        rtol=1e-9,
        atol=1e-9,
    )
    np.testing.assert_allclose(
        policy.loc[~has_band, "demand_sigma_month"],
        policy.loc[~has_band, "rss"],
        rtol=1e-9,
        atol=1e-9,
    )


def test_safety_stock_recomputed_from_its_inputs(plans: PlansBuild) -> None:
    policy = plans.frame("select * from marts.mart_inventory_policy")
    z = policy["service_level_target"].map(service_level_z)
    np.testing.assert_allclose(policy["service_level_z"], z, rtol=1e-9)
    sigma_lt = policy["demand_sigma_month"] * np.sqrt(policy["lead_time_days"] / 30.4375)
    expected = np.where(policy["is_active"], z * sigma_lt, 0.0)
    np.testing.assert_allclose(policy["safety_stock_units"], expected, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(
        policy["reorder_point_units"],
        policy["mean_daily_demand"] * policy["lead_time_days"] + policy["safety_stock_units"],
        rtol=1e-9,
    )
    a_share = (
        policy.loc[policy["abc_class"] == "A"].groupby("cycle_month")["trailing_net_sales"].sum()
        / policy.groupby("cycle_month")["trailing_net_sales"].sum()
    )
    assert (a_share.astype(float) >= 0.80 - 1e-9).all()


def test_procurement_explodes_planned_production_through_the_bom(plans: PlansBuild) -> None:
    expected = plans.frame(
        "select p.cycle_month, b.component_id, sum(p.planned_production_units * b.qty_per_unit) "
        "as qty from marts.mart_supply_plan p join raw.bom b on p.sku = b.sku group by all"
    )
    got = plans.frame(
        "select cycle_month, component_id, sum(required_qty) as qty, "
        "max(abs(datediff('day', order_by_date, need_date) - "
        "supplier_lead_time_days)) as offset_error "
        "from marts.mart_procurement_plan group by all"
    )
    merged = expected.merge(got, on=["cycle_month", "component_id"], how="left")
    assert np.allclose(merged["qty_x"], merged["qty_y"].fillna(0.0))
    assert (got["offset_error"] == 0).all()
