"""Capabilities by source, on the minimal own company through real in-process Dagster runs.

One SOP_HOME for the module, used in order: the three minimal sources alone
(green daily run, no freshness failure for absent sources, no invented stock,
capacity or cash, a report that names what each section needs); then one
optional source at a time switches its marts on (shipments; inventory
snapshots; capacity with production output); then a provided source that
stops arriving fails its freshness check.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from optional_sources import (
    write_capacity_and_production,
    write_inventory_snapshots,
    write_shipments,
)

from orchestration.checks import AS_OF_TAG
from orchestration.settings import clear_settings_cache
from tests.own_company import OwnCompany, write_own_company

pytestmark = [pytest.mark.xdist_group("e2e_sources"), pytest.mark.slow, pytest.mark.timeout(1800)]

COMPANY = OwnCompany(
    first_month=dt.date(2023, 1, 1), last_day=dt.date(2025, 6, 14), n_skus=8, n_customers=10
)
CYCLE = "2025-05-01"
PREVIOUS_CYCLE = "2025-04-01"  # its lag-1 forecast is the plan of the reviewed month
MINIMAL = ["products", "customers", "order_lines"]
RUNS: dict[str, dg.ExecuteInProcessResult] = {}


def _provide(home: Path, sources: list[str]) -> None:
    (home / "platform.yml").write_text(
        "sources:\n  provided: [" + ", ".join(sources) + "]\n", encoding="utf-8"
    )
    clear_settings_cache()


def _run(
    job: str,
    partition: str | None = None,
    as_of: dt.date = COMPANY.last_day,
    expect_success: bool = True,
) -> dg.ExecuteInProcessResult:
    from orchestration.definitions import defs

    result = defs.resolve_job_def(job).execute_in_process(
        instance=dg.DagsterInstance.ephemeral(),
        partition_key=partition,
        raise_on_error=False,
        tags={AS_OF_TAG: as_of.isoformat()},
    )
    if expect_success:
        failures = [
            e.event_specific_data.error.message for e in result.all_events if e.is_step_failure
        ]
        failed_checks = {
            e.check_name: e.description
            for e in result.get_asset_check_evaluations()
            if not e.passed
        }
        assert result.success and not failed_checks, (failures, failed_checks)
    return result


def _cycle() -> None:
    _run("daily_job")
    _run("planning_job", CYCLE)


def _count(home: Path, sql: str) -> int:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        return conn.execute(sql).fetchone()[0]


def _kpis(home: Path) -> set[str]:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        return {
            k
            for (k,) in conn.execute(
                "select distinct kpi from marts.mart_kpis_monthly where value is not null"
            ).fetchall()
        }


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("sop_home_sources")
    write_own_company(home / "landing", COMPANY)
    _provide(home, MINIMAL)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOP_HOME", str(home))
        RUNS["minimal_daily"] = _run("daily_job")
        _run("forecast_cycle_job", PREVIOUS_CYCLE)
        _run("forecast_cycle_job", CYCLE)
        _run("planning_job", CYCLE)
        yield home
    clear_settings_cache()


@pytest.fixture(autouse=True)
def _sop_home_env(home, monkeypatch):
    monkeypatch.setenv("SOP_HOME", str(home))


def test_minimal_company_daily_run_skips_absent_sources(home):
    checks = {e.check_name: e for e in RUNS["minimal_daily"].get_asset_check_evaluations()}
    assert checks["gx_raw_order_lines"].passed
    assert checks["gx_raw_order_lines"].metadata["checks_run"].value > 0
    for absent in ("shipments", "inventory_snapshots", "capacity", "invoices", "budget"):
        check = checks[f"gx_raw_{absent}"]
        assert check.passed and check.metadata["provided"].value is False, absent
        assert check.metadata["checks_run"].value == 0
        # the raw table exists (dbt sources resolve) and holds nothing
        assert _count(home, f"select count(*) from raw.{absent}") == 0
    assert _count(home, "select count(*) from audit.dq_results where suite = 'raw_shipments'") == 0


def test_minimal_company_holds_no_invented_stock_capacity_or_cash(home):
    for empty in (
        "fct_shipments",
        "fct_inventory_snapshots",
        "fct_inventory_monthly",
        "fct_capacity",
        "mart_production_requirements",
        "mart_production_allocation",
        "mart_supply_plan",
        "mart_capacity_plan",
        "mart_procurement_plan",
        "mart_collection_profiles",
        "mart_cash_flow_plan",
        "mart_budget_gap",
        "mart_budget_variance",
        "mart_plan_vs_actual",
        "fct_revenue_lines",
    ):
        assert _count(home, f"select count(*) from marts.{empty}") == 0, empty
    # fill rate is unknown without shipments: NULL, not 0
    assert _count(home, "select count(*) from marts.fct_order_lines") > 0
    assert (
        _count(
            home,
            "select count(*) from marts.fct_order_lines where shipped_qty is not null "
            "or filled_qty is not null or is_on_time_in_full is not null",
        )
        == 0
    )
    assert _count(home, "select count(shipped_units) from marts.fct_demand_monthly") == 0
    assert not _kpis(home) & {
        "fill_rate",
        "otif",
        "stockout_rate",
        "days_of_supply",
        "inventory_value",
        "dso",
        "cash_collected",
        "net_revenue",
    }
    # no exceptions or alerts from absent data
    assert (
        _count(
            home,
            "select count(*) from marts.mart_sop_exceptions where exception_type in "
            "('below_safety_stock', 'capacity_shortfall', 'budget_gap')",
        )
        == 0
    )
    assert (
        _count(
            home,
            "select count(*) from marts.mart_alerts "
            "where rule in ('projected_stockout', 'budget_gap')",
        )
        == 0
    )


def test_minimal_company_gets_the_financial_plan_and_consensus_equals_statistical(home):
    assert _count(home, "select count(*) from marts.mart_financial_plan where revenue_p50 > 0") > 0
    assert (
        _count(
            home,
            "select count(*) from marts.mart_financial_plan "
            "where closing_inventory_value_at_p50_demand is not null",
        )
        == 0
    )
    assert (
        _count(
            home, "select count(*) from marts.mart_expected_net_prices where expected_net_price > 0"
        )
        > 0
    )
    assert _count(home, "select count(*) from marts.fct_consensus_forecast") > 0
    assert (
        _count(
            home,
            "select count(*) from marts.fct_consensus_forecast "
            "where abs(consensus_units - statistical_units) > 1e-9",
        )
        == 0
    )


def test_report_names_the_sources_a_section_needs(home):
    html = (home / "reports" / "retrospective_2025-05.html").read_text(encoding="utf-8")
    # zh by default: the sentence names the missing sources of the section
    assert "本节需要数据源 invoices, cash_receipts" in html
    assert "本节需要数据源 budget, gl_actuals" in html
    assert "本节需要数据源 shipments, inventory_snapshots" in html
    assert "本节部分指标需要数据源 shipments" in html
    assert 'id="fig-cash"' not in html and 'id="fig-inventory-position"' not in html


def test_adding_shipments_switches_fill_rate_and_revenue_on(home):
    write_shipments(home / "landing", COMPANY.last_day)
    _provide(home, [*MINIMAL, "shipments"])
    _cycle()
    assert _count(home, "select count(*) from marts.fct_shipments") > 0
    assert _count(home, "select count(*) from marts.fct_order_lines where filled_qty is null") == 0
    assert _count(home, "select count(*) from marts.fct_revenue_lines") > 0
    assert _count(home, "select count(*) from marts.mart_plan_vs_actual") > 0
    fill = _count(home, "select avg(value) from marts.mart_kpis_monthly where kpi = 'fill_rate'")
    assert 0.8 < fill < 1.0
    assert {"fill_rate", "otif", "net_revenue"} <= _kpis(home)
    # still no stock
    assert _count(home, "select count(*) from marts.mart_supply_plan") == 0
    assert not _kpis(home) & {"stockout_rate", "days_of_supply", "inventory_value"}


def test_adding_inventory_snapshots_switches_stock_on(home):
    write_inventory_snapshots(home / "landing", COMPANY.first_month, COMPANY.last_day)
    _provide(home, [*MINIMAL, "shipments", "inventory_snapshots"])
    _cycle()
    assert _count(home, "select count(*) from marts.fct_inventory_snapshots") > 0
    assert _count(home, "select count(*) from marts.mart_production_requirements") > 0
    assert {"stockout_rate", "days_of_supply", "inventory_value"} <= _kpis(home)
    # no capacity yet: no constrained plan rather than every unit short
    assert _count(home, "select count(*) from marts.mart_production_allocation") == 0
    assert _count(home, "select count(*) from marts.mart_supply_plan") == 0
    html = (home / "reports" / "retrospective_2025-05.html").read_text(encoding="utf-8")
    assert 'id="fig-inventory-position"' in html


def test_adding_capacity_and_production_switches_the_supply_plan_on(home):
    write_capacity_and_production(
        home / "landing", COMPANY.first_month, COMPANY.last_day, dt.date(2027, 12, 1)
    )
    _provide(home, [*MINIMAL, "shipments", "inventory_snapshots", "capacity", "production_output"])
    _cycle()
    assert (
        _count(home, "select count(*) from marts.fct_capacity where produced_units is not null") > 0
    )
    assert _count(home, "select count(*) from marts.mart_supply_plan") > 0
    assert _count(home, "select count(*) from marts.mart_capacity_plan") > 0
    assert (
        _count(
            home,
            "select count(*) from marts.mart_financial_plan "
            "where closing_inventory_value_at_p50_demand is null",
        )
        == 0
    )
    # no BOM: no procurement plan; no invoices: no cash plan
    assert _count(home, "select count(*) from marts.mart_procurement_plan") == 0
    assert _count(home, "select count(*) from marts.mart_cash_flow_plan") == 0


def test_a_provided_source_that_stops_arriving_fails_freshness(home):
    stale = _run("ingest_job", as_of=COMPANY.last_day + dt.timedelta(days=10), expect_success=False)
    checks = {e.check_name: e for e in stale.get_asset_check_evaluations()}
    shipments = checks["gx_raw_shipments"]
    assert not shipments.passed and shipments.severity == dg.AssetCheckSeverity.ERROR
    failed = {f["check"] for f in shipments.metadata["failed_checks"].value}
    assert any(name.startswith("freshness") for name in failed), failed
    # a source the company does not send still has nothing to be stale about
    assert checks["gx_raw_bom"].passed and checks["gx_raw_bom"].metadata["provided"].value is False
