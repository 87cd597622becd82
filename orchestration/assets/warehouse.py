"""Warehouse stage: the dbt project as Dagster assets; dbt tests surface as asset checks.

Two selections of one dbt project: the warehouse (staging, intermediate and
the marts built from sources) refreshed daily, and the planning marts built
downstream of the forecasting outputs (``source:ml+``) in the monthly cycle.
Each build's tests and models land in ``audit.dq_results`` (suites
``dbt_warehouse`` and ``dbt_planning``), so the cross-run gate blocks the
plans on a failed build; a failed build fails at once, without retry.
"""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from orchestration.calendar_vars import warehouse_calendar_vars
from orchestration.checks import require_quality_gate
from orchestration.dbt_build import PLANNING_SUITE, WAREHOUSE_SUITE, build_and_record
from orchestration.dbt_manifest import require_manifest
from orchestration.dbt_project import dbt_vars_args, sop_dbt_project
from orchestration.dbt_test_scope import dbt_test_scope
from orchestration.resources import WAREHOUSE_POOL, SopHome, Warehouse
from orchestration.settings import company_dbt_vars

PLANNING_SELECTION = "source:ml+ source:scenarios+ source:audit.plan_approvals+"
"""The plans: everything downstream of the forecasts, the what-if scenarios or the approvals
(so a home whose last daily build predates approvals still builds its plan selection)."""


AREA_GROUPS = {
    "core": "warehouse",
    "demand": "demand",
    "supply": "supply",
    "finance": "finance",
    "performance": "performance",
    "planning": "planning",
}
"""Mart folder -> the S&OP group it is shown in; staging and intermediate are the warehouse."""


class LayeredTranslator(DagsterDbtTranslator):
    """Keys models by schema (``marts/dim_date``), groups them as the S&OP process reads.

    Groups: warehouse (staging, intermediate, core marts, seeds), demand, supply,
    finance, performance; a model's ``meta: {dagster: {group: ...}}`` overrides
    its folder. The dbt layer stays in the key and in the ``layer`` tag. The
    catalog shows the model's YAML description, not its SQL.
    """

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            return dg.AssetKey([_layer(dbt_resource_props), dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        meta = dbt_resource_props.get("config", {}).get("meta", {}) or {}
        if meta.get("dagster", {}).get("group"):
            return meta["dagster"]["group"]
        fqn = dbt_resource_props["fqn"]
        if len(fqn) > 3 and fqn[1] == "marts":
            return AREA_GROUPS.get(fqn[2], "warehouse")
        return "warehouse"

    def get_tags(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, str]:
        return {**super().get_tags(dbt_resource_props), "layer": _layer(dbt_resource_props)}

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        text = (dbt_resource_props.get("description") or "").strip()
        return text or f"dbt {dbt_resource_props['resource_type']} {dbt_resource_props['name']}"


def _layer(dbt_resource_props: Mapping[str, Any]) -> str:
    fqn = dbt_resource_props["fqn"]
    if dbt_resource_props["resource_type"] == "seed":
        return "seeds"
    return fqn[1] if len(fqn) > 2 else "warehouse"


translator = LayeredTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))
manifest_path = require_manifest()  # prepared by the process (CLI, make ui, tests), never here


@dbt_assets(
    manifest=manifest_path,
    project=sop_dbt_project,
    exclude=PLANNING_SELECTION,
    dagster_dbt_translator=translator,
    pool=WAREHOUSE_POOL,
    name="warehouse_dbt_models",
)
def warehouse_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, sop_home: SopHome, warehouse: Warehouse
):
    """Staging, intermediate and source-fed marts (``dbt build``: models, seeds and tests).

    The calendar spans the loaded order history and the horizon (``calendar_vars``); the
    tests of the incremental facts read the months rebuilt, except on the first day of a
    month (``orchestration.dbt_test_scope``).
    """
    dbt_vars = dbt_vars_args(
        sop_home.provided_sources,
        warehouse_calendar_vars(warehouse),
        company_dbt_vars(sop_home.root),
        dbt_test_scope(context.run.tags),
    )
    yield from build_and_record(context, dbt, warehouse, WAREHOUSE_SUITE, dbt_vars)


@dbt_assets(
    manifest=manifest_path,
    project=sop_dbt_project,
    select=PLANNING_SELECTION,
    dagster_dbt_translator=translator,
    pool=WAREHOUSE_POOL,
    name="planning_dbt_models",
)
def planning_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse, sop_home: SopHome
):
    """Forecast, plan and performance marts built from the planning cycles' outputs.

    Gated: does not build on data that failed a critical quality check; its
    own last failed build does not block it, the rebuild is what clears it.
    """
    with warehouse.connect(read_only=True) as conn:
        require_quality_gate(conn, exclude_suites=(PLANNING_SUITE,))
    dbt_vars = dbt_vars_args(
        sop_home.provided_sources,
        warehouse_calendar_vars(warehouse),
        company_dbt_vars(sop_home.root),
        dbt_test_scope(context.run.tags),  # the daily build's vars: dbt's partial parse is kept
    )
    yield from build_and_record(context, dbt, warehouse, PLANNING_SUITE, dbt_vars)
