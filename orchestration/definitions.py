"""The one Dagster ``Definitions`` of the S&OP platform."""

import dagster as dg

from orchestration.assets.ingest import ingest_assets
from orchestration.jobs import jobs
from orchestration.resources import SopHome, Warehouse

sop_home = SopHome(path=dg.EnvVar("SOP_HOME"))

defs = dg.Definitions(
    assets=[*ingest_assets],
    jobs=jobs,
    resources={
        "sop_home": sop_home,
        "warehouse": Warehouse(home=sop_home),
    },
)
