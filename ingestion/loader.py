"""Load landing files into ``raw.<source>`` under their contracts.

Public entry points: :func:`load_source` (one source) and :func:`load_all`
(every source in dependency order). See the package README section in
``docs/`` (``python -m ingestion.docs``) for the contracts themselves.

Per file the loader decides, from ``audit.load_ledger``:

* same name and content hash already loaded (or empty): skipped;
* a new file name whose content is already loaded under another name: a
  ``duplicate`` ledger row, nothing loaded (a copy must not double the rows);
* same name, new content (a corrected re-delivery): its rows replace the
  earlier version's rows in raw and quarantine;
* same name and content, rejected as a structural failure (all rows failing
  one check): validated again, since a check against other sources (a
  reference) may pass now;
* snapshot sources (``load_mode == "snapshot"``): only the newest file (last
  by name) counts and replaces the whole table; older ones are reported as
  superseded.

Structurally broken files (missing or renamed column, unreadable file, or
(nearly) every row failing the same check: see :mod:`ingestion.structural`)
load nothing, are ledgered as ``rejected`` and raise :class:`ContractViolation`
once the source's good files are loaded. Extra unexpected columns are
accepted and ignored, with a note in the ledger message.

A small batch of CSV files (a day's delivery) is first loaded by one statement that
commits only when every row passed (:mod:`ingestion.direct_load`); otherwise, and for
every other batch, the checked path of :mod:`ingestion.batch` loads it and gives each
rejected row its reason. Either way one transaction per batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from ingestion.batch import ReadError, fingerprints, load_batch, record_empty, record_rejected
from ingestion.contracts import CONTRACTS, ContractSettings, SourceContract
from ingestion.direct_load import try_direct_load
from ingestion.errors import ContractViolation, LoadError, MissingDependencyError
from ingestion.landing import (
    HeaderCheck,
    HeaderError,
    LandingFile,
    check_header,
    csv_header,
    discover,
    parquet_columns,
)
from ingestion.ledger import (
    LedgerEntry,
    current_entries,
    current_entries_by_source,
    known_fingerprints,
    record,
    record_fingerprints,
)
from ingestion.results import FileLoadResult, LoadAllResult, SourceLoadResult
from ingestion.schema import ensure_audit_tables, ensure_raw_table, raw_tables
from ingestion.sql import qi
from ingestion.structural import is_structural
from ingestion.threads import ThreadSetting
from ingestion.validation import SMALL_BATCH_BYTES
from ingestion.xlsx import RECORD_COLUMNS, read_forecast_workbook

__all__ = [
    "ContractViolation",
    "LoadError",
    "MissingDependencyError",
    "SourceLoadResult",
    "LoadAllResult",
    "FileLoadResult",
    "load_source",
    "load_all",
    "dependency_order",
    "ContractSettings",
]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass
class _Load:
    """What one load reads or sets once for all its sources: the existing raw ``tables``,
    the referenced ones seen holding rows (a source loads after what it references, so a
    table seen so stays so), and the DuckDB thread setting for small sources."""

    tables: set[str]
    threads: ThreadSetting
    populated: set[str] = field(default_factory=set)


def _check_dependencies(
    conn: duckdb.DuckDBPyConnection, contract: SourceContract, load: _Load
) -> None:
    """Referenced sources must have loaded rows, or every row would be quarantined."""
    unknown = sorted({r.source for r in contract.references} - load.populated)
    asked = [name for name in unknown if name in load.tables]
    if asked:
        found = conn.execute(
            "select " + ", ".join(f"exists (select 1 from raw.{qi(name)})" for name in asked)
        ).fetchall()[0]
        load.populated |= {name for name, has_rows in zip(asked, found, strict=True) if has_rows}
    missing = [name for name in unknown if name not in load.populated]
    if missing:
        raise MissingDependencyError(
            contract.name,
            f"source {contract.name!r} references {', '.join(missing)}, which has no loaded "
            "rows yet; load it first (see contract.depends_on)",
        )


def _inspect(
    conn: duckdb.DuckDBPyConnection, contract: SourceContract, file: LandingFile
) -> tuple[HeaderCheck | None, pd.DataFrame | None]:
    """Header check of one file; ``(None, None)`` for a file without any content."""
    if file.size == 0:
        return None, None
    if contract.format == "csv":
        header = csv_header(file.path)
        return (check_header(contract, header), None) if header is not None else (None, None)
    if contract.format == "parquet":
        return check_header(contract, parquet_columns(conn, file.path)), None
    frame = read_forecast_workbook(file.path, file.name)
    check = HeaderCheck(RECORD_COLUMNS, RECORD_COLUMNS, ())
    return (check, frame) if len(frame) else (None, None)


def _plan(
    contract: SourceContract, files: list[LandingFile], entries: list[LedgerEntry]
) -> tuple[list[LandingFile], list[FileLoadResult], list[tuple[LandingFile, str]]]:
    """Split discovered files into (to load, already settled, still rejected), given the
    source's current ledger ``entries``."""
    by_version = {(e.file_name, e.file_hash): e for e in entries}
    loaded_hash = {e.file_hash: e.file_name for e in entries if e.status == "loaded"}
    current_names = {e.file_name for e in entries}
    settled: list[FileLoadResult] = []
    candidates = files
    if contract.load_mode == "snapshot" and files:
        *older, newest = files
        settled += [
            FileLoadResult(
                f.name,
                f.file_hash,
                "superseded",
                message=f"older snapshot; {newest.name} is the current one",
            )
            for f in older
        ]
        candidates = [newest]
    todo, still_rejected = [], []
    for f in candidates:
        entry = by_version.get((f.name, f.file_hash))
        if entry is not None and entry.status == "rejected" and is_structural(entry.message):
            todo.append(f)  # may pass now: e.g. the invoices its receipts reference arrived
        elif entry is not None and entry.status == "rejected":
            still_rejected.append((f, entry.message or "rejected"))
        elif entry is not None:
            settled.append(
                FileLoadResult(
                    f.name, f.file_hash, "skipped", message="already loaded (same content hash)"
                )
            )
        elif f.file_hash in loaded_hash and f.name not in current_names:
            settled.append(
                FileLoadResult(
                    f.name,
                    f.file_hash,
                    "duplicate",
                    message=f"same content as {loaded_hash[f.file_hash]}, already loaded",
                )
            )
        else:
            todo.append(f)
    return todo, settled, still_rejected


def load_source(
    conn: duckdb.DuckDBPyConnection,
    contract: SourceContract,
    landing_dir: Path,
    *,
    loaded_at: dt.datetime | None = None,
    settings: ContractSettings | None = None,
) -> SourceLoadResult:
    """Load the contract's new or changed landing files into ``raw.<source>``.

    Parameters
    ----------
    conn
        Writable DuckDB connection (the warehouse).
    contract
        The source contract.
    landing_dir
        Landing folder; files are found with ``contract.file_glob`` below it.
    loaded_at
        Load timestamp (UTC) for lineage and ledger; defaults to now.
    settings
        The company's values for the contract's allowed sets (channels, tiers);
        defaults to the contract's declared sets. The caller reads them from
        configuration; the contracts never do.

    Returns
    -------
    SourceLoadResult
        Per-file outcomes and per-source counts (``.metadata()`` for Dagster).

    Raises
    ------
    ContractViolation
        After loading the good files, when some file breaks the contract's
        structure; its ``result`` attribute holds the :class:`SourceLoadResult`.
    MissingDependencyError
        When there are files to load but a referenced source has no loaded
        rows yet (nothing is loaded).
    """
    ensure_audit_tables(conn)
    ensure_raw_table(conn, contract)
    # only its own table and the referenced ones matter here: probed, not listed
    needed = {contract.name, *(r.source for r in contract.references)}
    load = _Load(raw_tables(conn, needed), ThreadSetting(conn))
    try:
        return _load_source(
            conn,
            contract,
            Path(landing_dir),
            loaded_at or _utc_now(),
            settings,
            current_entries(conn, contract.name),
            load,
        )
    finally:
        load.threads.restore()


def _load_source(
    conn: duckdb.DuckDBPyConnection,
    contract: SourceContract,
    landing_dir: Path,
    loaded_at: dt.datetime,
    settings: ContractSettings | None,
    entries: list[LedgerEntry],
    load: _Load,
) -> SourceLoadResult:
    """:func:`load_source` once the audit and raw tables exist, given the source's current
    ledger ``entries`` and what the ``load`` read once for all its sources.

    A source with a small batch to load runs on one DuckDB thread, a larger one on the
    connection's own setting (see :class:`ingestion.threads.ThreadSetting`)."""
    result = SourceLoadResult(contract.name)
    files = discover(contract, landing_dir, known_fingerprints(entries))
    todo, settled, still_rejected = _plan(contract, files, entries)
    if todo and sum(f.size for f in todo) <= SMALL_BATCH_BYTES:
        load.threads.small()
    elif todo:
        load.threads.restore()
    if todo:
        _check_dependencies(conn, contract, load)
    result.files += settled
    duplicates = [r for r in settled if r.status == "duplicate"]
    record(conn, contract.name, duplicates, loaded_at, fingerprints(files))
    result.files += [
        FileLoadResult(f.name, f.file_hash, "rejected", message=m) for f, m in still_rejected
    ]
    rejected: list[tuple[LandingFile, str]] = []
    empties: list[LandingFile] = []
    batches: dict[tuple[str, ...], list[tuple[LandingFile, HeaderCheck, pd.DataFrame | None]]] = {}
    for f in todo:
        try:
            check, frame = _inspect(conn, contract, f)
        except HeaderError as exc:
            rejected.append((f, str(exc)))
            continue
        if check is None:
            empties.append(f)
        else:
            batches.setdefault(check.header, []).append((f, check, frame))
    current = {e.file_name for e in entries}
    if empties:
        result.files += record_empty(conn, contract, empties, loaded_at, current)
    for members in batches.values():
        result.files += _load_members(
            conn, contract, members, loaded_at, rejected, settings, current
        )
    if rejected:
        result.files += record_rejected(conn, contract, rejected, loaded_at)
    recorded = {f.name for f in todo} | {r.file_name for r in duplicates}
    record_fingerprints(
        conn,
        contract.name,
        [(f.name, f.file_hash, f.size, f.mtime_ns) for f in files if f.name not in recorded],
        entries,
    )
    failures = {
        f.file_name: f.message or "rejected" for f in result.files if f.status == "rejected"
    }
    if failures:
        error = ContractViolation(contract.name, failures)
        error.result = result
        raise error
    return result


def _workbook_frames(
    members: list[tuple[LandingFile, HeaderCheck, pd.DataFrame | None]],
) -> list[pd.DataFrame]:
    """The frames of workbook members, read at inspection (DuckDB reads the other formats)."""
    frames = [frame for _, _, frame in members if frame is not None]
    if len(frames) != len(members):
        raise ValueError("a workbook member has no frame: it was not read at inspection")
    return frames


def _load_members(
    conn: duckdb.DuckDBPyConnection,
    contract: SourceContract,
    members: list[tuple[LandingFile, HeaderCheck, pd.DataFrame | None]],
    loaded_at: dt.datetime,
    rejected: list[tuple[LandingFile, str]],
    settings: ContractSettings | None = None,
    current: set[str] | None = None,
) -> list[FileLoadResult]:
    """Load a batch in one go (by one statement if every row passes: see
    :mod:`ingestion.direct_load`); if a reader fails, retry file by file to isolate it
    (``current``: the names of the source's files with a current ledger row)."""
    files = [m[0] for m in members]
    frames = _workbook_frames(members) if contract.format == "xlsx" else None
    if frames is None:
        loaded = try_direct_load(conn, contract, files, members[0][1], loaded_at, settings, current)
        if loaded is not None:
            return loaded
    try:
        return load_batch(
            conn, contract, files, members[0][1], loaded_at, frames, settings, current
        )
    except ReadError as exc:
        if len(members) == 1:
            rejected.append((files[0], f"unreadable file ({exc})"))
            return []
    results: list[FileLoadResult] = []
    for member in members:
        results += _load_members(conn, contract, [member], loaded_at, rejected, settings, current)
    return results


def dependency_order(names: Iterable[str]) -> list[str]:
    """Source names ordered so every source follows its ``depends_on`` and references."""
    wanted = list(dict.fromkeys(names))
    ordered: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in ordered or name not in wanted:
            return
        if name in visiting:
            raise ValueError(f"dependency cycle through source {name!r}")
        visiting.add(name)
        contract = CONTRACTS[name]
        for dep in sorted(
            {*contract.depends_on, *(s for r in contract.references for s in r.sources)}
        ):
            visit(dep)
        visiting.discard(name)
        ordered.append(name)

    for name in wanted:
        visit(name)
    return ordered


def load_all(
    conn: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    sources: Iterable[str] | None = None,
    *,
    loaded_at: dt.datetime | None = None,
    settings: ContractSettings | None = None,
) -> LoadAllResult:
    """Load every (or the named) source in dependency order (``settings``: see :func:`load_source`).

    A :class:`LoadError` of one source is collected in ``errors`` and does not
    stop the others; sources whose references are missing fail with
    :class:`MissingDependencyError`. The ledger and the raw catalog are read once for all
    sources (a source's ledger rows change only when that source loads), so an unchanged
    source costs a scan of its landing folder and no statement.
    """
    names = list(CONTRACTS) if sources is None else list(sources)
    unknown = [n for n in names if n not in CONTRACTS]
    if unknown:
        raise KeyError(f"unknown source(s): {', '.join(unknown)}")
    loaded_at = loaded_at or _utc_now()
    outcome = LoadAllResult()
    ensure_audit_tables(conn)
    entries = current_entries_by_source(conn)
    load = _Load(raw_tables(conn, CONTRACTS), ThreadSetting(conn))
    try:
        for name in dependency_order(names):
            contract = CONTRACTS[name]
            if name not in load.tables:
                ensure_raw_table(conn, contract)
                load.tables.add(name)
            try:
                outcome.results[name] = _load_source(
                    conn,
                    contract,
                    Path(landing_dir),
                    loaded_at,
                    settings,
                    entries.get(name, []),
                    load,
                )
            except ContractViolation as exc:
                if exc.result is not None:
                    outcome.results[name] = exc.result
                outcome.errors[name] = exc
            except LoadError as exc:
                outcome.errors[name] = exc
    finally:
        load.threads.restore()
    return outcome
