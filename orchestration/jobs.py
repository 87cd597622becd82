"""Jobs: the daily refresh and the monthly planning cycle."""

import dagster as dg

ingest_job = dg.define_asset_job(
    "ingest_job",
    selection=dg.AssetSelection.groups("ingest"),
    description="Load new or changed landing files into the raw tables.",
)

jobs = [ingest_job]
