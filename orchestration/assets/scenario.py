"""Scenario stage: load a cycle's what-if scenario files into the ``scenarios`` tables.

``scenario_job`` (one cycle partition; run config ``scenarios``: the names to run, all
files when absent) does what ``sop scenario run`` does: every file is checked (nothing
written on a bad one), the cycle's runs are recorded, then the plan marts downstream of
the scenario tables are rebuilt for every cycle and scenario, reusing the cycle's
forecast (no refit).
"""

from datetime import date

import dagster as dg

from orchestration.failures import FAILURE_LINES
from orchestration.partitions import planning_cycles
from orchestration.resources import WAREHOUSE_POOL, SopHome, Warehouse
from orchestration.scenarios import ScenarioError
from orchestration.scenarios.run import load_cycle_scenarios


class ScenarioRunConfig(dg.Config):
    """The scenarios (file stems under ``$SOP_HOME/scenarios/``) to run for the cycle."""

    scenarios: list[str] | None = None


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["scenarios", "scenario_adjustments"],
            description="Every adjustment of every scenario file present (replaced whole).",
            kinds={"duckdb"},
        ),
        dg.AssetSpec(
            ["scenarios", "scenario_runs"],
            description="The (cycle, scenario) runs requested, with the file and its description.",
            kinds={"duckdb"},
        ),
    ],
    group_name="planning",
    partitions_def=planning_cycles,
    pool=WAREHOUSE_POOL,
)
def scenario_tables(
    context: dg.AssetExecutionContext,
    config: ScenarioRunConfig,
    sop_home: SopHome,
    warehouse: Warehouse,
):
    """Check and load the scenario files; record the runs of the partition's cycle."""
    cycle = date.fromisoformat(context.partition_key)
    with warehouse.connect() as conn:
        try:
            runs = load_cycle_scenarios(conn, sop_home.root, cycle, config.scenarios)
        except (ScenarioError, RuntimeError) as refused:
            raise dg.Failure(
                description=str(refused),
                metadata={FAILURE_LINES: dg.MetadataValue.json([str(refused)])},
                allow_retries=False,
            ) from None
    ran = sorted(
        runs.loc[runs["cycle_month"].astype(str).str[:10] == cycle.isoformat(), "scenario"]
    )
    context.log.info(f"cycle {cycle:%Y-%m}: scenarios {', '.join(ran) or '(none)'} loaded")
    yield dg.MaterializeResult(
        asset_key=["scenarios", "scenario_runs"],
        metadata={"cycle_scenarios": ", ".join(ran), "runs": len(runs)},
    )
    yield dg.MaterializeResult(asset_key=["scenarios", "scenario_adjustments"])


scenario_assets = [scenario_tables]
