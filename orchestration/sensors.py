"""The landing sensor: a new or changed extract in ``$SOP_HOME/landing`` starts its ingestion.

A file's fingerprint is its size and modification time (no hashing every
tick; the loader hashes content and skips re-sent copies anyway). The run
key is ``<relative path>:<size>:<mtime_ns>``: a tick evaluated twice, or a
cursor lost, never starts a second run for the same file version, because
Dagster starts one run per run key. The cursor keeps the fingerprints seen,
so unchanged files are not even re-requested. Files whose fingerprint the
load ledger already holds (loaded by ``sop daily`` or an earlier run) are not
requested either: opening the UI on a fully loaded home starts no work. New or
changed files are grouped per source: one run per source ingests all of them
(a first tick on a full landing folder starts one run per source, not one per
file), with a run key made of the source and its changed files' fingerprints.
Only the sources the company provides (``sources.provided``) are watched.
"""

import hashlib
import json
from pathlib import Path

import dagster as dg
import duckdb

from ingestion.contracts import CONTRACTS
from ingestion.ledger import loaded_fingerprints
from ingestion.schema import table_exists
from orchestration.resources import SopHome
from orchestration.settings import provided_sources


class WarehouseBusyError(RuntimeError):
    """The warehouse is held by a writing run; the ledger cannot be read this tick."""


def ledger_fingerprints(warehouse: Path) -> set[str]:
    """Fingerprints (``path:size:mtime_ns``) of the file versions the load ledger holds."""
    if not warehouse.exists():
        return set()
    try:
        conn = duckdb.connect(str(warehouse), read_only=True)
    except (duckdb.IOException, duckdb.ConnectionException) as error:
        raise WarehouseBusyError(str(error)) from error
    try:
        if not table_exists(conn, "audit", "load_ledger"):
            return set()
        return loaded_fingerprints(conn)
    finally:
        conn.close()


def landing_files(
    landing_dir: Path, watched: tuple[str, ...] | None = None
) -> dict[str, tuple[str, list[str]]]:
    """``{relative path: ("size:mtime_ns", [sources whose glob matches])}`` under ``landing_dir``."""
    found: dict[str, tuple[str, list[str]]] = {}
    for name, contract in CONTRACTS.items():
        if watched is not None and name not in watched:
            continue
        for path in landing_dir.glob(contract.file_glob):
            if path.is_file():
                stat = path.stat()
                relative = path.relative_to(landing_dir).as_posix()
                fingerprint, sources = found.get(
                    relative, (f"{stat.st_size}:{stat.st_mtime_ns}", [])
                )
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
    files = landing_files(landing_dir, provided_sources(sop_home.root))
    try:
        in_ledger = ledger_fingerprints(sop_home.warehouse_path)
    except WarehouseBusyError:
        return dg.SensorResult(skip_reason="the warehouse is busy with a writing run; next tick")
    changed = sorted(
        p
        for p, (fingerprint, _) in files.items()
        if seen.get(p) != fingerprint and f"{p}:{fingerprint}" not in in_ledger
    )
    by_source: dict[str, list[str]] = {}
    for path in changed:
        for source in files[path][1]:
            by_source.setdefault(source, []).append(path)
    requests = [
        dg.RunRequest(
            run_key=_run_key(source, [f"{p}:{files[p][0]}" for p in paths]),
            asset_selection=[dg.AssetKey(["raw", source])],
            tags={"sop/landing_files": ", ".join(paths[:5]) + (" ..." if len(paths) > 5 else "")},
        )
        for source, paths in sorted(by_source.items())
    ]
    return dg.SensorResult(
        run_requests=requests,
        cursor=json.dumps(
            {p: fingerprint for p, (fingerprint, _) in files.items()}, sort_keys=True
        ),
        skip_reason=None if requests else "no new or changed landing files",
    )


def _run_key(source: str, file_versions: list[str]) -> str:
    """``<file>:<size>:<mtime>`` for one file, else the source, the file count and a digest."""
    if len(file_versions) == 1:
        return file_versions[0]
    digest = hashlib.sha256("\n".join(sorted(file_versions)).encode()).hexdigest()[:16]
    return f"{source}:{len(file_versions)} files:{digest}"


sensors = [landing_sensor]
