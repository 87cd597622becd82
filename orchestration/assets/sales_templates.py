"""The sales team's forecast templates of a planning cycle (see :mod:`publishing.sales_templates`).

Written after the planning marts, to ``$SOP_HOME/outbox/sales_input/<YYYY-MM>/``:
one workbook per region, named as the loader expects, so a filled template
dropped into ``landing/sales_input/`` becomes that region's submission.
"""

from datetime import date

import dagster as dg

from orchestration.partitions import planning_cycles
from orchestration.resources import WAREHOUSE_POOL, SopHome, Warehouse
from orchestration.settings import platform_settings
from orchestration.warehouse_io import query
from publishing.sales_templates import TemplateInputs, write_templates

TEMPLATE_INPUTS = [
    dg.AssetKey(["reports", "rpt_sales_template_forecast"]),
    dg.AssetKey(["marts", "fct_sales_team_forecast"]),
    dg.AssetKey(["marts", "dim_product"]),
]


@dg.asset(
    key=["outbox", "sales_team_templates"],
    group_name="publish",
    partitions_def=planning_cycles,
    deps=TEMPLATE_INPUTS,
    pool=WAREHOUSE_POOL,
    kinds={"excel"},
    description="One Excel template per region for the sales team's forecast of this cycle: "
    "pre-filled with the statistical forecast, the previous submission beside it, "
    "locked headers and validated product lines, named as landing/sales_input expects.",
)
def sales_team_templates(
    context: dg.AssetExecutionContext, sop_home: SopHome, warehouse: Warehouse
) -> dg.MaterializeResult:
    cycle = date.fromisoformat(context.partition_key)
    months = int(platform_settings(sop_home.root).get("sales_input", {}).get("template_months", 6))
    params = {"cycle_month": cycle, "months": months}
    with warehouse.connect(read_only=True) as conn:
        inputs = TemplateInputs(
            statistical=query(conn, "sales_template_statistical", params),
            previous=query(conn, "sales_template_previous", {"cycle_month": cycle}),
            product_lines=query(conn, "sales_template_product_lines")["product_line"].tolist(),
        )
    out_dir = sop_home.root / "outbox" / "sales_input" / f"{cycle:%Y-%m}"
    paths = write_templates(inputs, cycle, out_dir)
    return dg.MaterializeResult(
        metadata={
            "folder": dg.MetadataValue.path(str(out_dir)),
            "templates": dg.MetadataValue.json([p.name for p in paths]),
            "target_months": months,
        }
    )
