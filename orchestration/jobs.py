"""Jobs: the daily refresh and the monthly planning cycle."""

import dagster as dg
from dagster_dbt import build_dbt_asset_selection

from orchestration.assets.approval import plan_approvals
from orchestration.assets.forecast import forecast_assets
from orchestration.assets.ingest import ingest_assets
from orchestration.assets.publish import publish_assets
from orchestration.assets.report import monthly_retrospective
from orchestration.assets.sales_templates import sales_team_templates
from orchestration.assets.scenario import scenario_tables
from orchestration.assets.warehouse import planning_dbt_models, warehouse_dbt_models
from orchestration.partitions import planning_cycles
from orchestration.scenarios.run import SCENARIO_DBT_EXCLUDE, SCENARIO_DBT_SELECT

SOURCES = dg.AssetSelection.assets(*ingest_assets)
CONSENSUS_DBT_SELECT = "int_consensus_allocated int_consensus_unallocated"
"""The consensus: dbt models over ml.forecast and the sales team's submissions."""
FORECASTS = dg.AssetSelection.assets(*forecast_assets) | build_dbt_asset_selection(
    [planning_dbt_models], dbt_select=CONSENSUS_DBT_SELECT
)
"""A cycle's forecasts: the statistical forecast, then the consensus built on it."""

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

scenario_job = dg.define_asset_job(
    "scenario_job",
    selection=dg.AssetSelection.assets(scenario_tables, monthly_retrospective)
    | build_dbt_asset_selection(
        [planning_dbt_models], dbt_select=SCENARIO_DBT_SELECT, dbt_exclude=SCENARIO_DBT_EXCLUDE
    ),
    partitions_def=planning_cycles,
    description="Run what-if scenarios for a cycle (run config of scenarios/scenario_runs: "
    "scenarios, all files when absent): check and load the files, rebuild the plan marts per "
    "scenario on the cycle's forecast (no refit), as `sop scenario run` does, and the cycle's "
    "report pages. The performance marts, which measure the approved plan, are left to "
    "approval_job and the planning cycle.",
)

jobs = [
    ingest_job,
    daily_job,
    forecast_cycle_job,
    planning_job,
    retrospective_job,
    approval_job,
    scenario_job,
]
