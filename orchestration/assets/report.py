"""Report stage: the monthly retrospective (复盘) as self-contained plotly HTML.

One partition per month; reads the dbt report models (``reports.rpt_*``, one per
frame) through ``orchestration/sql/report_*.sql`` and hands the frames to
:func:`reports.retrospective.write_retrospective`, with the sections whose
sources the company does not send (``orchestration.capabilities``). Beside it, the
cycle's scenarios page (:mod:`reports.scenarios`): the options and the approvals.
"""

from dataclasses import fields
from datetime import date

import dagster as dg

from orchestration.capabilities import missing_by_report_section
from orchestration.checks import require_quality_gate
from orchestration.partitions import planning_cycles
from orchestration.resources import WAREHOUSE_POOL, SopHome, Warehouse
from orchestration.settings import company_settings, platform_settings
from orchestration.warehouse_io import query
from reports.contract import RetrospectiveInputs
from reports.retrospective import write_retrospective
from reports.scenarios import ScenarioInputs, write_scenario_page

REPORT_INPUTS = [
    dg.AssetKey(["reports", name])
    for name in (
        "rpt_kpis",
        "rpt_forecast_vs_actual",
        "rpt_forecast_accuracy",
        "rpt_forecast_value_added",
        "rpt_deviations",
        "rpt_budget_variance",
        "rpt_inventory",
        "rpt_stockouts",
        "rpt_cash",
        "rpt_alerts",
        "rpt_scenario_comparison",
    )
] + [dg.AssetKey(["marts", "mart_plan_approvals"])]


@dg.asset(
    key=["reports", "monthly_retrospective"],
    group_name="performance",
    partitions_def=planning_cycles,
    deps=REPORT_INPUTS,
    pool=WAREHOUSE_POOL,
    kinds={"plotly", "html"},
    description="The monthly retrospective: KPIs, forecast vs actual, accuracy by lag and FVA, "
    "largest deviations with price/volume/mix and likely cause, budget variance, "
    "inventory, cash, open alerts and data quality. Opens offline.",
)
def monthly_retrospective(
    context: dg.AssetExecutionContext, sop_home: SopHome, warehouse: Warehouse
) -> dg.MaterializeResult:
    month = date.fromisoformat(context.partition_key)
    params = {"month": month}
    with warehouse.connect(read_only=True) as conn:
        require_quality_gate(conn)
        frames = {
            f.name: query(conn, f"report_{f.name}", params) for f in fields(RetrospectiveInputs)
        }
        scenarios = ScenarioInputs(
            comparison=query(conn, "report_scenario_comparison", params),
            approvals=query(conn, "report_plan_approvals", params),
        )
    settings = platform_settings(sop_home.root).get("report", {})
    company = company_settings(sop_home.root)
    path = write_retrospective(
        RetrospectiveInputs(**frames),
        month,
        sop_home.reports_dir,
        lang=settings.get("lang", "zh"),
        company=company.get("name", ""),
        currency=company["currency"],
        missing_sources=missing_by_report_section(sop_home.provided_sources),
        scenarios=scenarios,
    )
    page = write_scenario_page(
        scenarios,
        month,
        sop_home.reports_dir,
        lang=settings.get("lang", "zh"),
        company=company.get("name", ""),
        currency=company["currency"],
    )
    context.log.info(f"retrospective written to {path}, the cycle's scenarios to {page}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(path)),
            "scenarios_path": dg.MetadataValue.path(str(page)),
            "size_bytes": path.stat().st_size,
            "month": f"{month:%Y-%m}",
        }
    )
