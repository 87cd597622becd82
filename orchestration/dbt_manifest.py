"""The dbt manifest, prepared once per process by the process that needs it, never at import.

Standard library only, so the CLI, the test session and ``make ui`` can check and prepare
the manifest without paying for importing dbt and Dagster. Run ``python -m
orchestration.dbt_manifest`` to prepare it by hand (``make prepare`` does).
"""

import os
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"
TARGET_DIR = "target"
"""dbt's target folder inside the project (``dbt_project.yml`` ``target-path``)."""
MANIFEST_PATH = DBT_PROJECT_DIR / TARGET_DIR / "manifest.json"
PREPARE_COMMAND = "make prepare"


class ManifestMissingError(RuntimeError):
    """The definitions were imported before any process prepared the dbt manifest."""


def manifest_is_stale() -> bool:
    """True when the manifest is missing or older than a file of the dbt project."""
    if not MANIFEST_PATH.exists():
        return True
    built = MANIFEST_PATH.stat().st_mtime
    sources = [DBT_PROJECT_DIR / "dbt_project.yml"]
    for folder in ("models", "macros", "seeds", "tests"):
        sources += [p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file()]
    return any(p.stat().st_mtime > built for p in sources)


@cache
def prepare_manifest() -> Path:
    """Run ``dbt parse`` when the manifest is stale; once per process (later calls return at once).

    The parse writes into a private target folder and the manifest is moved into place
    atomically, so a process loading the definitions meanwhile (the UI, a schedule, a
    second CLI) never reads a half-written file.
    """
    if manifest_is_stale():
        dbt = Path(sys.executable).parent / "dbt"
        MANIFEST_PATH.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="parse-", dir=MANIFEST_PATH.parent) as private:
            project = str(DBT_PROJECT_DIR)
            subprocess.run(
                [str(dbt), "parse", "--quiet", "--project-dir", project, "--profiles-dir", project]
                + ["--target-path", private],
                check=True,
                cwd=DBT_PROJECT_DIR,
            )
            os.replace(Path(private) / "manifest.json", MANIFEST_PATH)
    return MANIFEST_PATH


def require_manifest() -> Path:
    """The manifest's path, for the definitions at import: never parses, fails in one line."""
    if not MANIFEST_PATH.exists():
        raise ManifestMissingError(
            f"no dbt manifest at {MANIFEST_PATH}: run `{PREPARE_COMMAND}` "
            "(or `python -m orchestration.dbt_manifest`) first"
        )
    return MANIFEST_PATH


if __name__ == "__main__":
    print(prepare_manifest())
