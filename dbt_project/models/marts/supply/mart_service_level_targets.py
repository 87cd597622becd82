"""Service-level target and its z per ABC class (DuckDB has no inverse normal, Python has)."""

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
    classes = dbt.ref("planning_abc_classes").df()
    classes["service_level_z"] = [
        planning.service_level_z(float(level)) for level in classes["service_level_target"]
    ]
    return classes[
        ["abc_class", "cumulative_revenue_share_upper", "service_level_target", "service_level_z"]
    ].sort_values("abc_class", ignore_index=True)
