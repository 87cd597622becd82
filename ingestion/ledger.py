"""Reads and writes of ``audit.load_ledger`` and the deletes that replace a file's rows.

The ledger holds one row per (source, file name, content hash) attempt.
Rows of a file version that a newer one replaced get status ``superseded``,
so the ``loaded`` rows always describe what ``raw.<source>`` holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import duckdb

from ingestion.contracts import SourceContract
from ingestion.results import FileLoadResult
from ingestion.sql import qi

ACTIVE_STATUSES = ("loaded", "empty", "rejected", "duplicate")
"""Statuses of the ledger rows that describe a file version as it stands (``duplicate``: a
copy, under another name, of content already loaded; recorded once, never loaded)."""
_ACTIVE = "status in (" + ", ".join(f"'{s}'" for s in ACTIVE_STATUSES) + ")"


@dataclass(frozen=True)
class LedgerEntry:
    """A current (not superseded) ledger row."""

    file_name: str
    file_hash: str
    status: str
    message: str | None
    file_size: int | None = None
    file_mtime_ns: int | None = None


def current_entries(conn: duckdb.DuckDBPyConnection, source: str) -> list[LedgerEntry]:
    """The source's ledger rows that are not superseded."""
    return current_entries_by_source(conn, source).get(source, [])


def current_entries_by_source(
    conn: duckdb.DuckDBPyConnection, source: str | None = None
) -> dict[str, list[LedgerEntry]]:
    """Every source's (or one ``source``'s) current ledger rows, in one read."""
    rows = conn.execute(
        "select source, file_name, file_hash, status, message, file_size, file_mtime_ns "
        f"from audit.load_ledger where {_ACTIVE} and (source = $source or $source is null) "
        "order by source, loaded_at, file_name",
        {"source": source},
    ).fetchall()
    out: dict[str, list[LedgerEntry]] = {}
    for name, *row in rows:
        out.setdefault(name, []).append(LedgerEntry(*row))
    return out


def loaded_fingerprints(conn: duckdb.DuckDBPyConnection) -> set[str]:
    """``"<file name>:<size>:<mtime_ns>"`` of every current ledger row, all sources."""
    rows = conn.execute(
        "select distinct file_name || ':' || file_size || ':' || file_mtime_ns "
        f"from audit.load_ledger where {_ACTIVE} "
        "and file_size is not null and file_mtime_ns is not null"
    ).fetchall()
    return {row[0] for row in rows}


def known_fingerprints(entries: Sequence[LedgerEntry]) -> dict[tuple[str, int, int], str]:
    """``{(file name, size, mtime_ns): content hash}`` of the current ledger rows that have one."""
    return {
        (e.file_name, e.file_size, e.file_mtime_ns): e.file_hash
        for e in entries
        if e.file_size is not None and e.file_mtime_ns is not None
    }


def record_fingerprints(
    conn: duckdb.DuckDBPyConnection,
    source: str,
    files: Sequence[tuple[str, str, int, int]],
    entries: Sequence[LedgerEntry] = (),
) -> None:
    """Store (size, mtime_ns) on the ledger rows of ``(file name, hash, size, mtime_ns)``.

    ``entries`` are the source's current ledger rows as read before the load: a file whose
    row there already carries its size and mtime is left alone, so a daily run writes the
    fingerprints of its new files only, in one statement, not one update per file ever
    delivered.
    """
    stored = {
        (e.file_name, e.file_hash): (e.file_size, e.file_mtime_ns)
        for e in entries
        if e.status in ACTIVE_STATUSES
    }
    todo = [f for f in files if stored.get((f[0], f[1])) != (f[2], f[3])]
    if not todo:
        return
    names, hashes, sizes, mtimes = (list(column) for column in zip(*todo, strict=True))
    conn.execute(
        "update audit.load_ledger as l set file_size = f.size, file_mtime_ns = f.mtime "
        "from (select unnest(?) as name, unnest(?) as hash, unnest(?) as size, "
        "unnest(?) as mtime) as f "
        "where l.source = ? and l.file_name = f.name and l.file_hash = f.hash "
        f"and l.{_ACTIVE} "
        "and (l.file_size is distinct from f.size or l.file_mtime_ns is distinct from f.mtime)",
        [names, hashes, sizes, mtimes, source],
    )


def record(
    conn: duckdb.DuckDBPyConnection,
    source: str,
    results: Sequence[FileLoadResult],
    loaded_at: dt.datetime,
    fingerprints: Mapping[str, tuple[int, int]] | None = None,
) -> None:
    """Append ledger rows for processed files, with their (size, mtime_ns) by file name
    from ``fingerprints`` where given (so no later update has to add them)."""
    if not results:
        return
    fingerprints = fingerprints or {}
    rows = [
        (
            source,
            r.file_name,
            r.file_hash,
            r.rows_read,
            r.rows_loaded,
            r.rows_quarantined,
            r.status,
            r.message,
            loaded_at,
            *fingerprints.get(r.file_name, (None, None)),
        )
        for r in results
    ]
    # one statement for the batch's rows (an executemany prepares, then runs one per row)
    conn.execute(
        "insert into audit.load_ledger (source, file_name, file_hash, rows_read, rows_loaded, "
        "rows_quarantined, status, message, loaded_at, file_size, file_mtime_ns) values "
        + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(rows)),
        [value for row in rows for value in row],
    )


def _has_current_version(conn: duckdb.DuckDBPyConnection, source: str, names: list[str]) -> bool:
    """Whether any of these files has a current ledger row: only then can raw or the
    quarantine hold rows of an earlier version (rows are only written with their ledger row)."""
    return bool(
        conn.execute(
            "select exists (select 1 from audit.load_ledger where source = ? "
            f"and file_name in (select unnest(?)) and {_ACTIVE})",
            [source, names],
        ).fetchall()[0][0]
    )


def replace_files(
    conn: duckdb.DuckDBPyConnection,
    contract: SourceContract,
    file_names: Sequence[str],
    current: Collection[str] | None = None,
) -> None:
    """Remove earlier versions of these files: raw rows, quarantine rows, ledger status.

    ``current`` are the names of the source's files that have a current ledger row, when
    the caller has read them (the loader reads the ledger once per load); otherwise the
    ledger is asked here.
    """
    if current is not None:
        file_names = [n for n in file_names if n in current]
    if not file_names:
        return
    names = list(file_names)
    if current is None and not _has_current_version(conn, contract.name, names):
        return  # new files (a daily delivery): no earlier rows to look for in the whole table
    conn.execute(
        f"delete from raw.{qi(contract.name)} where _source_file in (select unnest(?))", [names]
    )
    conn.execute(
        "delete from audit.quarantine where source = ? and file_name in (select unnest(?))",
        [contract.name, names],
    )
    conn.execute(
        "update audit.load_ledger set status = 'superseded' where source = ? "
        f"and file_name in (select unnest(?)) and {_ACTIVE}",
        [contract.name, names],
    )


def replace_rejected_versions(
    conn: duckdb.DuckDBPyConnection, contract: SourceContract, file_names: Sequence[str]
) -> None:
    """Remove the quarantine rows and ledger status of earlier *rejected* versions of these files.

    For a file rejected again: its earlier loaded version stays, an earlier
    rejected version is replaced by the new one.
    """
    if not file_names:
        return
    names = list(file_names)
    conn.execute(
        "delete from audit.quarantine as q where source = ? and file_name in (select unnest(?)) "
        "and exists (select 1 from audit.load_ledger as l where l.source = q.source "
        "and l.file_name = q.file_name and l.file_hash = q.file_hash and l.status = 'rejected')",
        [contract.name, names],
    )
    conn.execute(
        "update audit.load_ledger set status = 'superseded' where source = ? "
        "and file_name in (select unnest(?)) and status = 'rejected'",
        [contract.name, names],
    )


def replace_snapshot(conn: duckdb.DuckDBPyConnection, contract: SourceContract) -> None:
    """Empty a snapshot source before its newest file is loaded."""
    conn.execute(f"delete from raw.{qi(contract.name)}")
    conn.execute("delete from audit.quarantine where source = ?", [contract.name])
    conn.execute(
        f"update audit.load_ledger set status = 'superseded' where source = ? and {_ACTIVE}",
        [contract.name],
    )
