"""The dbt project handle (``DbtProject``) and the vars every build passes.

The manifest it points at is prepared by the process, not here (``orchestration.dbt_manifest``).
"""

import json
from collections.abc import Iterable, Mapping

from dagster_dbt import DbtProject

from orchestration.dbt_manifest import DBT_PROJECT_DIR, TARGET_DIR

__all__ = ["DBT_PROJECT_DIR", "dbt_vars_args", "sop_dbt_project"]

sop_dbt_project = DbtProject(
    project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=TARGET_DIR
)


def dbt_vars_args(provided_sources: Iterable[str], *more: Mapping[str, object]) -> list[str]:
    """One ``--vars``: the sources the company sends (for ``source_provided()``) and ``more``
    (the calendar, the company's tiers).

    Without it (a bare ``dbt build``) every source counts as provided and the calendar keeps
    the ``dbt_project.yml`` defaults. Both builds of a run pass the same vars, so dbt's
    partial parsing is kept.
    """
    values: dict[str, object] = {"provided_sources": sorted(provided_sources)}
    for extra in more:
        values.update(extra)
    return ["--vars", json.dumps(values, sort_keys=True)]
