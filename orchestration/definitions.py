"""The one Dagster ``Definitions`` of the S&OP platform."""

import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.assets.approval import approval_assets
from orchestration.assets.forecast import forecast_assets
from orchestration.assets.ingest import ingest_assets
from orchestration.assets.publish import publish_assets
from orchestration.assets.report import monthly_retrospective
from orchestration.assets.sales_templates import sales_team_templates
from orchestration.assets.scenario import scenario_assets
from orchestration.assets.warehouse import planning_dbt_models, warehouse_dbt_models
from orchestration.checks import RunClock, quality_checks
from orchestration.dbt_project import sop_dbt_project
from orchestration.jobs import jobs
from orchestration.resources import SopHome, Warehouse
from orchestration.schedules import schedules
from orchestration.sensors import sensors

sop_home = SopHome(path=dg.EnvVar("SOP_HOME"))

defs = dg.Definitions(
    assets=[
        *ingest_assets,
        warehouse_dbt_models,
        *forecast_assets,
        planning_dbt_models,
        monthly_retrospective,
        sales_team_templates,
        *publish_assets,
        *approval_assets,
        *scenario_assets,
    ],
    asset_checks=quality_checks,
    schedules=schedules,
    sensors=sensors,
    jobs=jobs,
    resources={
        "sop_home": sop_home,
        "warehouse": Warehouse(home=sop_home),
        "run_clock": RunClock(),
        "dbt": DbtCliResource(
            project_dir=sop_dbt_project,
            dbt_executable=str(Path(sys.executable).parent / "dbt"),
        ),
    },
)
