"""Report stage: the monthly retrospective (复盘) as self-contained plotly HTML.

One partition per month; reads the dbt report models (``reports.rpt_*``, one per
frame) through ``orchestration/sql/report_*.sql`` and hands the frames to
:func:`reports.retrospective.write_retrospective`, with the sections whose
sources the company does not send (``orchestration.capabilities``).
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
    )
]


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
    )
    context.log.info(f"retrospective written to {path}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(path)),
            "size_bytes": path.stat().st_size,
            "month": f"{month:%Y-%m}",
        }
    )
