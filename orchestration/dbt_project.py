"""The dbt project handle: where the project lives and how its manifest is prepared."""

import json
import os
import subprocess
import sys
import tempfile
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
    tests and a fresh clone, where no manifest has been built yet. The parse
    writes into a private target folder and the manifest is moved into place
    atomically, so a process loading the definitions meanwhile (the UI, a
    schedule, a second CLI) never reads a half-written file.
    """
    if _manifest_is_stale():
        dbt = Path(sys.executable).parent / "dbt"
        target = sop_dbt_project.manifest_path.parent
        target.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="parse-", dir=target) as private:
            subprocess.run(
                [
                    str(dbt),
                    "parse",
                    "--quiet",
                    "--project-dir",
                    str(DBT_PROJECT_DIR),
                    "--profiles-dir",
                    str(DBT_PROJECT_DIR),
                    "--target-path",
                    private,
                ],
                check=True,
                cwd=DBT_PROJECT_DIR,
            )
            os.replace(Path(private) / "manifest.json", sop_dbt_project.manifest_path)
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
