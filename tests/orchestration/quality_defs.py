"""The code location with the checks, publish asset, schedules and sensor of issue 7 wired in.

Uses ``orchestration.definitions.defs`` as it stands; until that module
registers these objects itself, they are merged in here with the same keys
(``run_clock`` resource, ``gx_*`` checks, ``published/marts``, schedules,
``landing_sensor``), so the tests exercise exactly what will be registered.
"""

from __future__ import annotations

import dagster as dg

PUBLISH_TEST_JOB = "publish_marts_job"


def quality_definitions() -> dg.Definitions:
    """The full ``Definitions`` plus a one-asset job that only publishes."""
    from orchestration.assets.publish import publish_assets, published_marts
    from orchestration.checks import RunClock, quality_checks
    from orchestration.definitions import defs
    from orchestration.schedules import schedules
    from orchestration.sensors import sensors

    publish_only = dg.define_asset_job(
        PUBLISH_TEST_JOB, selection=dg.AssetSelection.assets(published_marts)
    )
    extra = dg.Definitions(jobs=[publish_only])
    if not any(s.name == "landing_sensor" for s in (defs.sensors or [])):
        extra = dg.Definitions(
            assets=publish_assets,
            asset_checks=quality_checks,
            schedules=schedules,
            sensors=sensors,
            jobs=[publish_only],
            resources={"run_clock": RunClock()},
        )
    return dg.Definitions.merge(defs, extra)
