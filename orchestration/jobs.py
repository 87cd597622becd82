"""Jobs: the daily refresh and the monthly planning cycle."""

import dagster as dg

from orchestration.assets.warehouse import planning_dbt_models, warehouse_dbt_models
from orchestration.partitions import planning_cycles

ingest_job = dg.define_asset_job(
    "ingest_job",
    selection=dg.AssetSelection.groups("ingest"),
    description="Load new or changed landing files into the raw tables (started by the landing sensor).",
)

daily_job = dg.define_asset_job(
    "daily_job",
    selection=dg.AssetSelection.groups("ingest") | dg.AssetSelection.assets(warehouse_dbt_models),
    description="Daily refresh: ingest new extracts, rebuild the warehouse, run the checks.",
)

forecast_cycle_job = dg.define_asset_job(
    "forecast_cycle_job",
    selection=dg.AssetSelection.groups("forecast"),
    partitions_def=planning_cycles,
    description="One planning cycle's forecasts: statistical, reconciled, and the consensus.",
)

planning_job = dg.define_asset_job(
    "planning_job",
    selection=dg.AssetSelection.groups("forecast")
    | dg.AssetSelection.assets(planning_dbt_models)
    | dg.AssetSelection.groups("reports", "publish"),
    partitions_def=planning_cycles,
    description="The monthly planning cycle: forecasts, plans, performance marts, the "
    "retrospective and the BI publish.",
)

jobs = [ingest_job, daily_job, forecast_cycle_job, planning_job]
