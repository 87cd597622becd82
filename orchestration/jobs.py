"""Jobs: the daily refresh and the monthly planning cycle."""

import dagster as dg

from orchestration.assets.approval import plan_approvals
from orchestration.assets.forecast import forecast_assets
from orchestration.assets.ingest import ingest_assets
from orchestration.assets.publish import publish_assets
from orchestration.assets.report import monthly_retrospective
from orchestration.assets.sales_templates import sales_team_templates
from orchestration.assets.warehouse import planning_dbt_models, warehouse_dbt_models
from orchestration.partitions import planning_cycles

SOURCES = dg.AssetSelection.assets(*ingest_assets)
FORECASTS = dg.AssetSelection.assets(*forecast_assets)

ingest_job = dg.define_asset_job(
    "ingest_job",
    selection=SOURCES,
    description="Load new or changed landing files into the raw tables (started by the landing sensor).",
)

daily_job = dg.define_asset_job(
    "daily_job",
    selection=SOURCES | dg.AssetSelection.assets(warehouse_dbt_models),
    description="Daily refresh: ingest new extracts, rebuild the warehouse, run the checks.",
)

forecast_cycle_job = dg.define_asset_job(
    "forecast_cycle_job",
    selection=FORECASTS,
    partitions_def=planning_cycles,
    description="One planning cycle's forecasts: statistical, reconciled, and the consensus.",
)

planning_job = dg.define_asset_job(
    "planning_job",
    selection=FORECASTS
    | dg.AssetSelection.assets(
        planning_dbt_models, monthly_retrospective, sales_team_templates, *publish_assets
    ),
    partitions_def=planning_cycles,
    description="The monthly planning cycle: forecasts, plans, performance marts, the "
    "retrospective and the BI publish.",
)

retrospective_job = dg.define_asset_job(
    "retrospective_job",
    selection=dg.AssetSelection.assets(monthly_retrospective),
    partitions_def=planning_cycles,
    description="One cycle's retrospective from the performance marts as they stand (which cover "
    "every cycle): how `sop backfill` / `sop run` give earlier cycles their report after the "
    "planning job of the latest one, in seconds rather than a planning build each.",
)

approval_job = dg.define_asset_job(
    "approval_job",
    selection=dg.AssetSelection.assets(plan_approvals).downstream()
    | dg.AssetSelection.assets(monthly_retrospective, *publish_assets),
    partitions_def=planning_cycles,
    description="Approve a scenario as the cycle's plan (run config of audit/plan_approvals: "
    "scenario, approved_by, note), then rebuild what measures against the plan: the plan "
    "selection, the performance marts, the cycle's retrospective and the BI publish.",
)

jobs = [
    ingest_job,
    daily_job,
    forecast_cycle_job,
    planning_job,
    retrospective_job,
    approval_job,
]
