"""The dbt project handle: where the project lives and how its manifest is prepared."""

import json
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from dagster_dbt import DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"

sop_dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def _manifest_is_stale() -> bool:
    manifest = sop_dbt_project.manifest_path
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    sources = [DBT_PROJECT_DIR / "dbt_project.yml"]
    for folder in ("models", "macros", "seeds", "tests"):
        sources += [p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file()]
    return any(p.stat().st_mtime > built for p in sources)


def ensure_manifest() -> Path:
    """Run ``dbt parse`` when the manifest is missing or older than the project files.

    ``dagster dev`` re-parses through ``prepare_if_dev``; this covers the CLI,
    tests and a fresh clone, where no manifest has been built yet.
    """
    if _manifest_is_stale():
        dbt = Path(sys.executable).parent / "dbt"
        subprocess.run(
            [
                str(dbt),
                "parse",
                "--quiet",
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
            ],
            check=True,
            cwd=DBT_PROJECT_DIR,
        )
    return sop_dbt_project.manifest_path


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
