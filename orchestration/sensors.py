"""The landing sensor: a new or changed extract in ``$SOP_HOME/landing`` starts its ingestion.

A file's fingerprint is its size and modification time (no hashing every
tick; the loader hashes content and skips re-sent copies anyway). The run
key is ``<relative path>:<size>:<mtime_ns>``: a tick evaluated twice, or a
cursor lost, never starts a second run for the same file version, because
Dagster starts one run per run key. The cursor keeps the fingerprints seen,
so unchanged files are not even re-requested. The run ingests only the
source whose contract globs the file.
"""


import json
from pathlib import Path

import dagster as dg

from ingestion.contracts import CONTRACTS
from orchestration.resources import SopHome


def landing_files(landing_dir: Path) -> dict[str, tuple[str, list[str]]]:
    """``{relative path: ("size:mtime_ns", [sources whose glob matches])}`` under ``landing_dir``."""
    found: dict[str, tuple[str, list[str]]] = {}
    for name, contract in CONTRACTS.items():
        for path in landing_dir.glob(contract.file_glob):
            if path.is_file():
                stat = path.stat()
                relative = path.relative_to(landing_dir).as_posix()
                fingerprint, sources = found.get(relative, (f"{stat.st_size}:{stat.st_mtime_ns}", []))
                found[relative] = (fingerprint, [*sources, name])
    return found


@dg.sensor(
    name="landing_sensor",
    job_name="ingest_job",
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts ingestion of a source when one of its landing files is new or changed.",
)
def landing_sensor(context: dg.SensorEvaluationContext, sop_home: SopHome) -> dg.SensorResult:
    landing_dir = sop_home.landing_dir
    if not landing_dir.exists():
        return dg.SensorResult(skip_reason=f"no landing folder at {landing_dir}")
    seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    files = landing_files(landing_dir)
    changed = sorted(p for p, (fingerprint, _) in files.items() if seen.get(p) != fingerprint)
    requests = [
        dg.RunRequest(
            run_key=f"{path}:{files[path][0]}",
            asset_selection=[dg.AssetKey(["raw", source]) for source in files[path][1]],
            tags={"sop/landing_file": path},
        )
        for path in changed
    ]
    return dg.SensorResult(
        run_requests=requests,
        cursor=json.dumps({p: fingerprint for p, (fingerprint, _) in files.items()}, sort_keys=True),
        skip_reason=None if requests else "no new or changed landing files",
    )


sensors = [landing_sensor]
