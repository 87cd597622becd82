"""Capacity-constrained production per cycle x line x SKU x month (planning.plan_production).

The sequential build-ahead allocation is a pure function in the planning library;
this model only feeds it the requirements and the capacity plan. Without any
capacity rows (a company that sends no capacity extract) it plans nothing.
"""

import sys
from pathlib import Path


def _import_planning():
    """Import the planning library; from a source checkout, find it above the dbt project."""
    try:
        import planning
    except ModuleNotFoundError:
        for folder in [Path.cwd(), *Path.cwd().parents]:
            if (folder / "planning" / "__init__.py").is_file():
                sys.path.insert(0, str(folder))
                break
        import planning
    return planning


def model(dbt, session):
    dbt.config(materialized="table", contract={"enforced": False})
    planning = _import_planning()
    requirements = dbt.ref("mart_production_requirements").df()
    capacity = dbt.ref("fct_capacity").df()
    if capacity.empty:  # no capacity extract: no constrained plan, rather than all shortfall
        requirements = requirements.iloc[0:0]
    plan = planning.plan_production(
        requirements[["cycle_month", "production_line", "sku", "month", "required_units"]],
        capacity[["production_line", "month", "available_units"]],
    )
    for column in ("cycle_month", "month"):
        plan[column] = [value.date() if hasattr(value, "date") else value for value in plan[column]]
    for column in ("required_units", "planned_units", "built_ahead_units", "shortfall_units"):
        plan[column] = plan[column].astype(float)
    return plan
