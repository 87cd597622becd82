"""Capacity-constrained production per cycle x line x SKU x month (planning.plan_production).

The sequential build-ahead allocation is a pure function in the planning library;
this model only feeds it each (cycle, scenario)'s requirements and that scenario's
capacity (int_scenario_capacity). Without any capacity rows (a company that sends no
capacity extract) it plans nothing, for every scenario.
"""

import sys
from pathlib import Path

import pandas as pd


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


UNITS = ["required_units", "planned_units", "built_ahead_units", "shortfall_units"]


def model(dbt, session):
    dbt.config(materialized="table", contract={"enforced": False})
    planning = _import_planning()
    requirements = dbt.ref("mart_production_requirements").df()
    capacity = dbt.ref("int_scenario_capacity").df()
    columns = ["cycle_month", "scenario", "production_line", "sku", "month", *UNITS]
    plans = []
    for (cycle, scenario), cycle_capacity in capacity.groupby(["cycle_month", "scenario"]):
        wanted = (requirements["cycle_month"] == cycle) & (requirements["scenario"] == scenario)
        plan = planning.plan_production(
            requirements.loc[
                wanted, ["cycle_month", "production_line", "sku", "month", "required_units"]
            ],
            cycle_capacity[["production_line", "month", "available_units"]],
        )
        plan.insert(1, "scenario", scenario)
        plans.append(plan)
    # no capacity extract: no constrained plan, rather than all shortfall
    if not any(len(plan) for plan in plans):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns}).astype(
            dict.fromkeys(UNITS, float)
        )
    plan = pd.concat([p for p in plans if len(p)], ignore_index=True)[columns]
    for column in ("cycle_month", "month"):
        plan[column] = [value.date() if hasattr(value, "date") else value for value in plan[column]]
    for column in UNITS:
        plan[column] = plan[column].astype(float)
    return plan
