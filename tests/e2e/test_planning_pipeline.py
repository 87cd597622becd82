"""The whole pipeline through Dagster on a small demo: daily refresh, two planning
cycles, plans, performance marts and the retrospective — then time travel: data
arriving after a cycle must not change that cycle's forecast.
"""

from datetime import date

import dagster as dg
import duckdb
import pytest
from plotly.offline import get_plotlyjs

from demo_company import DemoConfig, FaultConfig, deliver_late_files, generate
from orchestration.checks import AS_OF_TAG

pytestmark = [pytest.mark.xdist_group("e2e_pipeline"), pytest.mark.slow, pytest.mark.timeout(2400)]

CONFIG = DemoConfig(
    as_of=date(2026, 1, 12),
    start_month="2024-07",
    n_skus=8,
    n_customers=24,
    faults=FaultConfig.only("late_file"),
)
CYCLES = ["2025-11-01", "2025-12-01"]


def _run(job: str, partition_key: str | None = None) -> dg.ExecuteInProcessResult:
    from orchestration.definitions import defs

    result = defs.resolve_job_def(job).execute_in_process(
        instance=dg.DagsterInstance.ephemeral(),
        partition_key=partition_key,
        raise_on_error=False,
        tags={AS_OF_TAG: CONFIG.as_of.isoformat()},
    )
    failures = [e.event_specific_data.error.message for e in result.all_events if e.is_step_failure]
    assert result.success, failures
    return result


def _forecast_rows(home, cycle: str):
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        return conn.execute(
            "select sku, region, channel, target_month, p10, p50, p90, model "
            "from ml.forecast where cycle_month = ? order by all",
            [date.fromisoformat(cycle)],
        ).fetchall()


@pytest.fixture(scope="module")
def pipeline_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("sop_home")
    summary = generate(CONFIG, home / "landing")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOP_HOME", str(home))
    _run("daily_job")
    for cycle in CYCLES:
        _run("forecast_cycle_job", cycle)
    _run("planning_job", CYCLES[-1])
    yield home, summary
    mp.undo()


def test_every_stage_produced_its_tables(pipeline_home):
    home, _ = pipeline_home
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        counts = {
            t: conn.execute(f"select count(*) from marts.{t}").fetchone()[0]
            for t in (
                "fct_forecast",
                "fct_consensus_forecast",
                "mart_inventory_policy",
                "mart_supply_plan",
                "mart_procurement_plan",
                "mart_financial_plan",
                "mart_cash_flow_plan",
                "mart_budget_gap",
                "mart_sop_exceptions",
                "mart_forecast_accuracy",
                "mart_plan_vs_actual",
                "mart_budget_variance",
                "mart_kpis_monthly",
                "mart_alerts",
            )
        }
        cycles = conn.execute(
            "select count(distinct cycle_month) from marts.fct_forecast"
        ).fetchone()[0]
        bad_quantiles = conn.execute(
            "select count(*) from ml.forecast where not (0 <= p10 and p10 <= p50 and p50 <= p90)"
        ).fetchone()[0]
    empty = [
        t for t, n in counts.items() if n == 0 and t not in ("mart_sop_exceptions", "mart_alerts")
    ]
    assert empty == []
    assert cycles == len(CYCLES)
    assert bad_quantiles == 0


def test_level_bands_reach_accuracy_and_the_financial_plan(pipeline_home, capsys):
    """ml.forecast_levels from the forecast asset: coverage in the accuracy mart, plan ranges."""
    from orchestration.cli import _print_accuracy

    home, _ = pipeline_home
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        levels = conn.execute(
            "select level, count(distinct cycle_month), min(p10), "
            "bool_and(p10 <= p50 and p50 <= p90) from ml.forecast_levels "
            "group by level order by level"
        ).fetchall()
        coverage = conn.execute(
            "select level, sum(interval_cells) from marts.mart_forecast_accuracy "
            "where method = 'statistical' group by level"
        ).fetchall()
        sources = dict(
            conn.execute(
                "select plan.range_source, count(*) from marts.mart_financial_plan as plan "
                "left join ml.forecast_levels as band on band.level = 'product_line_region' "
                "and band.cycle_month = plan.cycle_month and band.target_month = plan.month "
                "and band.product_line = plan.product_line and band.region = plan.region "
                "where plan.cycle_month = ? and (plan.range_source = 'level_band' or band.p50 > 0) "
                "group by all",
                [date.fromisoformat(CYCLES[-1])],
            ).fetchall()
        )
    assert [row[0] for row in levels] == ["product_line", "product_line_region", "sku", "total"]
    assert all(row[1] == len(CYCLES) and row[2] >= 0 and row[3] for row in levels)
    cells = dict(coverage)
    assert all(
        cells[level] > 0
        for level in ("sku_region_channel", "sku", "product_line_region", "product_line", "total")
    )
    assert cells["region"] == 0  # no band of its own at that grain
    # every cell whose band has a P50 takes its range from it (a zero P50 has no ratio)
    assert set(sources) == {"level_band"} and sources["level_band"] > 0
    _print_accuracy(home)
    out = capsys.readouterr().out
    assert "total" in out and "WAPE" in out and "coverage" in out


def test_report_written_and_offline(pipeline_home):
    home, _ = pipeline_home
    report = home / "reports" / "retrospective_2025-12.html"
    assert report.exists()
    html = report.read_text(encoding="utf-8")
    # plotly.js is inlined once and carries URL strings for features the report does not
    # use (see tests/reports); everything else on the page must not mention http at all.
    bundle = get_plotlyjs()
    assert html.count(bundle) == 1
    assert "http" not in html.replace(bundle, "").lower()
    # the company section of config/platform.yml: its name in the header, amounts in its
    # currency (CNY, report language zh)
    assert "<b>公司</b>示例制造有限公司" in html
    assert "金额(CNY)" in html and "¥" in html.replace(bundle, "")


def test_later_data_does_not_change_an_earlier_cycle(pipeline_home, monkeypatch):
    home, summary = pipeline_home
    monkeypatch.setenv("SOP_HOME", str(home))
    before = _forecast_rows(home, CYCLES[-1])
    delivered = deliver_late_files(summary, home / "landing")
    assert delivered, "the late file fault should hold back a current-month file"
    _run("daily_job")
    _run("forecast_cycle_job", CYCLES[-1])
    assert _forecast_rows(home, CYCLES[-1]) == before
