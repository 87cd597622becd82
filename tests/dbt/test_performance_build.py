"""The performance marts built on a small demo with fixture forecasts, checked against pandas.

A demo company (12 SKUs, 30 customers) is generated, loaded and built; ml.forecast is
written by the transparent test fixture of ``test_performance_ml_fixture`` for ten cycles
(the consensus over it is dbt's, from the demo's sales-team workbooks); one failed critical data-quality check is
recorded; then ``dbt build`` runs everything downstream of the ml and audit sources (the plans
and the performance marts with their tests).
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from dbt_demo_build import DBT, DemoWarehouse, build_demo
from test_performance_ml_fixture import write_fixture_forecasts

from data_quality.persist import ensure_dq_results
from orchestration.warehouse_io import query
from reports.contract import CAUSE_COLUMNS, KPI_CODES, RetrospectiveInputs, validate_inputs

pytestmark = pytest.mark.xdist_group("dbt_performance")

CYCLES = [date(2026, month, 1) for month in range(1, 11)]
REVIEW_MONTH = date(2026, 10, 1)
PERFORMANCE_MARTS = (
    "mart_forecast_accuracy",
    "mart_plan_vs_actual",
    "mart_budget_variance",
    "mart_kpis_monthly",
    "mart_alerts",
)
REPORT_FRAMES = tuple(f.name for f in fields(RetrospectiveInputs))


@dataclass(frozen=True)
class PerformanceBuild:
    demo: DemoWarehouse
    seconds: float
    returncode: int
    output: str


def _record_failed_critical_check(warehouse: Path) -> None:
    import duckdb

    with duckdb.connect(str(warehouse)) as conn:
        ensure_dq_results(conn)
        conn.execute(
            "insert into audit.dq_results (run_id, suite, table_name, expectation, expectation_type,"
            " check_kind, severity, success, unexpected_count, element_count, message, evaluated_at)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                "test-run",
                "raw_order_lines",
                "raw.order_lines",
                "order_line_key_unique",
                "expect_compound_columns_to_be_unique",
                "unique",
                "critical",
                False,
                3,
                1000,
                "3 duplicate order lines",
                datetime(2026, 10, 31, 23, 0),
            ],
        )


def build_performance_demo(root: Path) -> PerformanceBuild:
    """The demo warehouse with fixture forecasts of ``CYCLES`` and its performance marts built."""
    demo = build_demo(
        root,
        {"as_of": date(2026, 11, 23), "start_month": "2025-01", "n_skus": 12, "n_customers": 30},
    )
    assert demo.run_results["returncode"] == 0, demo.build_output[-3000:]
    import duckdb

    with duckdb.connect(str(demo.warehouse_path)) as conn:
        write_fixture_forecasts(conn, CYCLES, horizon=6)
    _record_failed_critical_check(demo.warehouse_path)
    started = time.perf_counter()
    proc = subprocess.run(
        [str(DBT), "build", "--select", "source:ml+", "source:audit+"],
        cwd=demo.project_dir,
        env=demo.env(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    return PerformanceBuild(
        demo, time.perf_counter() - started, proc.returncode, proc.stdout + proc.stderr
    )


@pytest.fixture(scope="module")
def performance_build(tmp_path_factory: pytest.TempPathFactory) -> PerformanceBuild:
    return build_performance_demo(tmp_path_factory.mktemp("performance_demo"))


def _read(build: PerformanceBuild, sql: str, params: list | None = None) -> pd.DataFrame:
    with build.demo.connect() as conn:
        return conn.execute(sql, params or []).df()


def test_performance_marts_build_green(performance_build: PerformanceBuild) -> None:
    print(f"plans + performance marts dbt build: {performance_build.seconds:.1f}s")
    assert performance_build.returncode == 0, performance_build.output[-4000:]
    for mart in PERFORMANCE_MARTS:
        rows = _read(performance_build, f"select count(*) as n from marts.{mart}")["n"].iloc[0]
        assert rows > 0, mart


def test_price_volume_mix_add_up_to_the_cent_on_the_demo(
    performance_build: PerformanceBuild,
) -> None:
    frame = _read(performance_build, "select * from marts.mart_plan_vs_actual")
    cents = lambda column: (frame[column].astype(float) * 100).round().astype("int64")  # noqa: E731
    effects = cents("price_effect") + cents("volume_effect") + cents("mix_effect")
    assert (effects == cents("actual_revenue") - cents("planned_revenue")).all()
    assert (cents("revenue_variance") == cents("actual_revenue") - cents("planned_revenue")).all()
    assert frame["likely_cause"].notna().all()
    # every level partitions the same plan and the same revenue
    totals = frame.groupby(["month", "level"])[["planned_revenue", "actual_revenue"]].sum()
    spread = totals.astype(float).groupby("month").agg(lambda s: s.max() - s.min())
    assert (spread.abs() < 0.01 * frame["level"].nunique()).all().all()


def test_causes_add_up_to_the_variance_and_the_override_matches_pandas(
    performance_build: PerformanceBuild,
) -> None:
    """The seven cause parts add up to the variance to the cent on every row; the total's
    consensus-override part is Σ (statistical − consensus) × expected net price of the plan."""
    frame = _read(performance_build, "select * from marts.mart_plan_vs_actual")
    cents = lambda column: (frame[column].astype(float) * 100).round().astype("int64")  # noqa: E731
    parts = sum(cents(column) for column in CAUSE_COLUMNS)
    assert (parts == cents("revenue_variance")).all()
    plan = _read(
        performance_build,
        """
        select consensus.target_month as month,
            sum((consensus.statistical_units - consensus.consensus_units)
                * prices.expected_net_price) as override_amount
        from marts.fct_consensus_forecast as consensus
        inner join marts.mart_expected_net_prices as prices
            using (cycle_month, sku, region, channel)
        where consensus.lag_months = 1
        group by consensus.target_month""",
    ).set_index("month")["override_amount"]
    total = frame[frame["level"] == "total"].set_index("month")["cause_override_amount"]
    total.index = pd.to_datetime(total.index)
    plan.index = pd.to_datetime(plan.index)
    joined = pd.concat([total.astype(float), plan.astype(float)], axis=1, join="inner")
    assert len(joined) >= 6
    assert (joined.iloc[:, 0] - joined.iloc[:, 1]).abs().max() < 0.01 * len(CAUSE_COLUMNS) + 1
    assert set(frame["likely_cause"]) - {"none_evident"}, "no deviation named a cause"


def test_plan_and_actual_revenue_match_pandas(performance_build: PerformanceBuild) -> None:
    plan = _read(
        performance_build,
        """
        select consensus.target_month as month, consensus.consensus_units, prices.expected_net_price
        from marts.fct_consensus_forecast as consensus
        inner join marts.mart_expected_net_prices as prices
            using (cycle_month, sku, region, channel)
        where consensus.lag_months = 1""",
    )
    revenue = _read(
        performance_build, "select revenue_date, net_revenue_amount from marts.fct_revenue_lines"
    )
    mart = _read(
        performance_build,
        "select month, planned_revenue, actual_revenue "
        "from marts.mart_plan_vs_actual where level = 'total'",
    )
    plan["revenue"] = plan["consensus_units"] * plan["expected_net_price"]
    planned = plan.groupby(pd.to_datetime(plan["month"]))["revenue"].sum()
    revenue["month"] = pd.to_datetime(revenue["revenue_date"]).dt.to_period("M").dt.to_timestamp()
    actual = revenue.groupby("month")["net_revenue_amount"].sum().astype(float)
    for row in mart.itertuples():
        month = pd.Timestamp(row.month)
        assert abs(float(row.planned_revenue) - planned[month]) <= 0.005
        assert abs(float(row.actual_revenue) - actual[month]) <= 0.005


def test_forecast_accuracy_matches_pandas(performance_build: PerformanceBuild) -> None:
    forecasts = _read(performance_build, "select * from ml.consensus_forecast where lag <= 3")
    demand = _read(
        performance_build,
        "select sku, region, channel, month, ordered_units, "
        "is_complete_month from marts.fct_demand_monthly",
    )
    mart = _read(
        performance_build,
        "select * from marts.mart_forecast_accuracy where level in ('total', 'sku')",
    )
    keys = ["sku", "region", "channel", "target_month"]
    demand = demand.rename(columns={"month": "target_month"})
    complete = set(demand.loc[demand["is_complete_month"], "target_month"])
    checked = 0
    for (cycle, lag), cycle_rows in forecasts.groupby(["cycle_month", "lag"]):
        target = cycle_rows["target_month"].iloc[0]
        if target not in complete:
            continue
        actual = demand.loc[demand["target_month"] == target, keys + ["ordered_units"]]
        cells = cycle_rows.merge(actual, on=keys, how="outer").fillna(
            {"naive": 0.0, "statistical": 0.0, "consensus": 0.0, "ordered_units": 0.0}
        )
        for method in ("naive", "statistical", "consensus"):
            for level, subject, subset in [("total", "Total", cells)] + [
                ("sku", sku, part) for sku, part in cells.groupby("sku")
            ]:
                error = subset[method] - subset["ordered_units"]
                row = mart[
                    (mart["cycle_month"] == cycle)
                    & (mart["lag_months"] == lag)
                    & (mart["level"] == level)
                    & (mart["subject"] == subject)
                    & (mart["method"] == method)
                ]
                assert len(row) == 1
                total_actual = subset["ordered_units"].sum()
                if total_actual > 0:
                    assert row["wape"].iloc[0] == pytest.approx(error.abs().sum() / total_actual)
                    assert row["bias"].iloc[0] == pytest.approx(error.sum() / total_actual)
                checked += 1
    assert checked > 100


def test_kpis_apply_the_metric_definitions(performance_build: PerformanceBuild) -> None:
    kpis = _read(performance_build, "select * from marts.mart_kpis_monthly")
    assert set(kpis["kpi"]) <= set(KPI_CODES)
    lines = _read(
        performance_build,
        "select ordered_qty, filled_qty, is_on_time_in_full "
        "from marts.fct_order_lines where order_date between ? and ?",
        [REVIEW_MONTH, date(2026, 10, 31)],
    )
    value = kpis.assign(month=pd.to_datetime(kpis["month"]).dt.date).set_index(["month", "kpi"])[
        "value"
    ]
    assert value[(REVIEW_MONTH, "fill_rate")] == pytest.approx(
        lines["filled_qty"].sum() / lines["ordered_qty"].sum()
    )
    assert value[(REVIEW_MONTH, "otif")] == pytest.approx(lines["is_on_time_in_full"].mean())
    consensus_total = _read(
        performance_build,
        """
        select forecast_accuracy from marts.mart_forecast_accuracy
        where level = 'total' and lag_months = 1 and method = 'consensus' and target_month = ?""",
        [REVIEW_MONTH],
    )
    assert value[(REVIEW_MONTH, "forecast_accuracy")] == pytest.approx(
        consensus_total["forecast_accuracy"].iloc[0]
    )


def test_every_alert_has_an_owner_and_a_stable_id(performance_build: PerformanceBuild) -> None:
    alerts = _read(performance_build, "select * from marts.mart_alerts")
    assert alerts["owner"].notna().all() and (alerts["owner"] != "").all()
    assert alerts.groupby("alert_id")[["rule", "subject"]].nunique().max().max() == 1
    assert (alerts["first_seen_cycle"] <= alerts["last_seen_cycle"]).all()
    assert (alerts["is_open"] == (alerts["last_seen_cycle"] == alerts["as_of_month"])).all()
    dq = alerts[alerts["rule"] == "dq_critical_failure"]
    assert list(dq["subject"]) == ["raw.order_lines · order_line_key_unique"]
    assert dq["owner"].iloc[0] == "Data platform owner" and dq["severity"].iloc[0] == "critical"
    by_region = alerts[alerts["rule"].isin(["budget_gap"])]
    assert (by_region["owner"] == "FP&A manager").all()


def test_report_queries_satisfy_the_report_contract(performance_build: PerformanceBuild) -> None:
    with performance_build.demo.connect() as conn:
        frames = {
            name: query(conn, f"report_{name}", {"month": REVIEW_MONTH}) for name in REPORT_FRAMES
        }
    validate_inputs(RetrospectiveInputs(**frames))
    assert len(frames["deviations"]) > 0 and len(frames["alerts"]) > 0
    assert list(frames["forecast_value_added"]["lag_months"]) == [1, 2, 3]
    assert set(
        frames["kpis"].loc[frames["kpis"]["month"] == pd.Timestamp(REVIEW_MONTH), "kpi"]
    ) == set(KPI_CODES)


def test_accuracy_metrics_match_the_mart(
    performance_build: PerformanceBuild, tmp_path: Path
) -> None:
    """MetricFlow's forecast_wape / forecast_accuracy / interval_coverage = the mart's sums."""
    from dbt_demo_build import mf_query

    out = tmp_path / "accuracy.csv"
    level = "forecast_accuracy_slice__level"
    proc = mf_query(
        performance_build.demo,
        ["forecast_wape", "forecast_accuracy", "forecast_bias", "interval_coverage"],
        [level, "forecast_accuracy_slice__method"],
        out,
        where=f"{{{{ Dimension('{level}') }}}} = 'sku_region_channel'",
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    got = pd.read_csv(out).set_index("forecast_accuracy_slice__method")
    mart = _read(
        performance_build,
        "select * from marts.mart_forecast_accuracy where level = 'sku_region_channel'",
    )
    for method, part in mart.groupby("method"):
        wape = part["abs_error_units"].sum() / part["actual_units"].sum()
        assert got.loc[method, "forecast_wape"] == pytest.approx(wape)
        assert got.loc[method, "forecast_accuracy"] == pytest.approx(max(1 - wape, 0.0))
        assert got.loc[method, "forecast_bias"] == pytest.approx(
            (part["forecast_units"] - part["actual_units"]).sum() / part["actual_units"].sum()
        )
        if part["interval_cells"].sum():  # the fixture's series bands (statistical, consensus)
            assert got.loc[method, "interval_coverage"] == pytest.approx(
                part["interval_hits"].sum() / part["interval_cells"].sum()
            )
    assert mart.loc[mart["method"] == "statistical", "interval_cells"].sum() > 0
