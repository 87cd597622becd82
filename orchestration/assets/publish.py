"""Publish stage: the marts for BI tools, by write-audit-publish (see :mod:`publishing.publish`).

Runs after the planning marts and the monthly report, and only when no
critical data-quality check failed in its latest run. The plan marts are
published with each cycle's plan only (its latest approved scenario, else
base: ``marts.mart_plan_selection``); every scenario is in
``mart_scenario_comparison``. BI tools read
``$SOP_HOME/published/current/sop.duckdb``; the working warehouse is never
exposed.
"""

import dagster as dg

from orchestration.assets.warehouse import planning_dbt_models, warehouse_dbt_models
from orchestration.checks import require_quality_gate
from orchestration.resources import WAREHOUSE_POOL, SopHome, Warehouse

REPORT_KEY = dg.AssetKey(["reports", "monthly_retrospective"])
PUBLISHED_SCHEMAS = ("marts",)
PLAN_MARTS = (
    "mart_inventory_policy",
    "mart_production_requirements",
    "mart_production_allocation",
    "mart_supply_plan",
    "mart_capacity_plan",
    "mart_procurement_plan",
    "mart_financial_plan",
    "mart_cash_flow_plan",
    "mart_budget_gap",
    "mart_sop_exceptions",
)
"""Published with each cycle's plan only (latest approval, else base): BI reads "the plan"."""

MART_KEYS = sorted(
    {k for k in (*warehouse_dbt_models.keys, *planning_dbt_models.keys) if k.path[0] == "marts"},
    key=lambda k: k.to_user_string(),
)


class PublishConfig(dg.Config):
    """How many published versions to keep (the current one included)."""

    keep_versions: int = 5


@dg.asset(
    key=["published", "marts"],
    group_name="publish",
    deps=[*MART_KEYS, REPORT_KEY],
    pool=WAREHOUSE_POOL,
    kinds={"duckdb", "parquet"},
    retry_policy=dg.RetryPolicy(max_retries=2, delay=10),
    description="The marts (no personal data) as a new versioned DuckDB file and Parquet files "
    "under $SOP_HOME/published, audited, then made current by an atomic switch.",
)
def published_marts(
    context: dg.AssetExecutionContext,
    config: PublishConfig,
    sop_home: SopHome,
    warehouse: Warehouse,
) -> dg.MaterializeResult:
    from publishing import publish_marts

    with warehouse.connect() as conn:
        require_quality_gate(conn)
    version = publish_marts(
        sop_home.warehouse_path,
        sop_home.published_dir,
        schemas=PUBLISHED_SCHEMAS,
        keep_versions=config.keep_versions,
        plan_tables=PLAN_MARTS,
    )
    context.log.info(f"published version {version.version} -> {sop_home.published_dir / 'current'}")
    return dg.MaterializeResult(
        metadata={
            "version": version.version,
            "path": dg.MetadataValue.path(str(version.database_path)),
            "tables": len(version.row_counts),
            "dagster/row_count": sum(version.row_counts.values()),
            "row_counts": dg.MetadataValue.json(version.row_counts),
            "pruned_versions": dg.MetadataValue.json(list(version.pruned)),
        }
    )


publish_assets = [published_marts]
