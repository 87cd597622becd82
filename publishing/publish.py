"""Write-audit-publish: copy the marts into a new versioned file, audit it, then switch atomically.

BI tools read ``<published>/current/sop.duckdb`` (or the Parquet files beside
it), never the working warehouse. Each publish writes a complete new version
under ``staging/``, audits it against the warehouse, moves it to
``versions/<version>/`` and only then points ``current`` at it by replacing a
symlink with ``os.replace`` (atomic on POSIX). A reader that opened the old
file keeps reading that complete version; nothing here ever writes a
published file again, so a reader never blocks a publish.

Layout::

    published/
      current -> versions/<version>      symlink, switched atomically
      CURRENT                            the current version id (text)
      versions/<version>/sop.duckdb      the marts, plus table publish_manifest
      versions/<version>/parquet/<table>.parquet
      versions/<version>/manifest.json   version, tables and row counts
      staging/                           versions being written (never read)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingestion.sql import qi, ql

DATABASE_FILE = "sop.duckdb"
PARQUET_DIR = "parquet"
MANIFEST_FILE = "manifest.json"
CURRENT_LINK = "current"
CURRENT_FILE = "CURRENT"
VERSIONS_DIR = "versions"
STAGING_DIR = "staging"
SOURCE_ALIAS = "warehouse_source"
PLAN_SELECTION_TABLE = ("marts", "mart_plan_selection")
"""One row per cycle: the scenario that is the cycle's plan (latest approval, else base)."""
PERSONAL_COLUMN_MARKERS = ("customer_name", "contact", "phone", "email", "address", "id_card")


class PublishAuditError(RuntimeError):
    """The new version does not match the warehouse (or holds personal data): nothing was switched."""


@dataclass(frozen=True)
class PublishedVersion:
    """One published version of the marts.

    Attributes
    ----------
    version : str
        Version id (UTC timestamp, sortable): the folder name under ``versions/``.
    directory : Path
        ``<published>/versions/<version>``.
    row_counts : dict
        ``schema.table`` -> rows, equal to the warehouse's at publish time.
    pruned : tuple of str
        Older versions deleted by this publish.
    """

    version: str
    directory: Path
    row_counts: dict[str, int] = field(default_factory=dict)
    pruned: tuple[str, ...] = ()

    @property
    def database_path(self) -> Path:
        return self.directory / DATABASE_FILE

    @property
    def parquet_dir(self) -> Path:
        return self.directory / PARQUET_DIR


def new_version_id(now: dt.datetime | None = None) -> str:
    """A sortable version id from the UTC time, to the microsecond: ``20260112T023000123456Z``."""
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("%Y%m%dT%H%M%S%fZ")


def current_version(published_dir: Path) -> str | None:
    """The version ``current`` points at, or ``None`` before the first publish."""
    marker = Path(published_dir) / CURRENT_FILE
    return marker.read_text(encoding="utf-8").strip() if marker.exists() else None


def list_versions(published_dir: Path) -> list[str]:
    """Published versions, oldest first."""
    root = Path(published_dir) / VERSIONS_DIR
    return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.exists() else []


def _source_tables(
    conn: duckdb.DuckDBPyConnection, schemas: Sequence[str]
) -> list[tuple[str, str]]:
    """``(schema, table)`` of every table and view in ``schemas`` of the attached warehouse."""
    rows = conn.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = ? and list_contains(?, table_schema) order by all",
        [SOURCE_ALIAS, list(schemas)],
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def personal_columns(conn: duckdb.DuckDBPyConnection, schemas: Sequence[str]) -> list[str]:
    """``schema.table.column`` names of the attached warehouse that look like personal data."""
    rows = conn.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_catalog = ? and list_contains(?, table_schema) order by all",
        [SOURCE_ALIAS, list(schemas)],
    ).fetchall()
    return [
        f"{s}.{t}.{c}"
        for s, t, c in rows
        if any(marker in c.lower() for marker in PERSONAL_COLUMN_MARKERS)
    ]


def _count(conn: duckdb.DuckDBPyConnection, query: str, params: Sequence[object] = ()) -> int:
    """The single number of a ``select count(*) ...`` query (which always returns one row)."""
    row = conn.execute(query, list(params)).fetchone()
    assert row is not None, query
    return int(row[0])


def _has_scenario(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        _count(
            conn,
            "select count(*) from information_schema.columns where table_catalog = ? "
            "and table_schema = ? and table_name = ? and column_name = 'scenario'",
            [SOURCE_ALIAS, schema, table],
        )
    )


def _rows_query(
    conn: duckdb.DuckDBPyConnection, schema: str, table: str, plan_tables: Sequence[str]
) -> str:
    """The rows of a table to publish: a plan mart's only for each cycle's selected scenario."""
    source = f"{SOURCE_ALIAS}.{qi(schema)}.{qi(table)}"
    if table not in plan_tables or not _has_scenario(conn, schema, table):
        return f"select * from {source}"
    selection = f"{SOURCE_ALIAS}.{qi(PLAN_SELECTION_TABLE[0])}.{qi(PLAN_SELECTION_TABLE[1])}"
    return (
        f"select * from {source} as plan_rows where exists (select 1 from {selection} as selected "
        "where selected.cycle_month = plan_rows.cycle_month "
        "and selected.scenario = plan_rows.scenario)"
    )


def _write_version(
    warehouse_path: Path,
    target: Path,
    schemas: Sequence[str],
    exclude_personal: bool,
    version: str,
    plan_tables: Sequence[str] = (),
) -> dict[str, int]:
    """Copy the schemas' tables into ``target``; return the warehouse's row count per table.

    A table named in ``plan_tables`` that has a ``scenario`` column is copied with the rows of
    each cycle's plan only (``marts.mart_plan_selection``): BI reads one plan per cycle.
    """
    (target / PARQUET_DIR).mkdir(parents=True)
    counts: dict[str, int] = {}
    with duckdb.connect(str(target / DATABASE_FILE)) as conn:
        conn.execute(f"attach {ql(str(warehouse_path))} as {SOURCE_ALIAS} (read_only)")
        tables = _source_tables(conn, schemas)
        if not tables:
            raise PublishAuditError(
                f"nothing to publish: no tables in schemas {list(schemas)} of {warehouse_path}"
            )
        names = [t for _, t in tables]
        if len(set(names)) != len(names):
            raise PublishAuditError(f"table names repeat across schemas {list(schemas)}")
        if exclude_personal and (found := personal_columns(conn, schemas)):
            raise PublishAuditError(f"personal data must not be published: {', '.join(found)}")
        if any(_has_scenario(conn, s, t) for s, t in tables if t in plan_tables) and (
            PLAN_SELECTION_TABLE not in tables
        ):
            raise PublishAuditError(
                "the plan marts hold scenarios but marts.mart_plan_selection is missing: "
                "build the planning marts first"
            )
        for schema, table in tables:
            rows = _rows_query(conn, schema, table, plan_tables)
            copy = f"{qi(schema)}.{qi(table)}"
            conn.execute(f"create schema if not exists {qi(schema)}")
            conn.execute(f"create table {copy} as {rows}")
            counts[f"{schema}.{table}"] = _count(conn, f"select count(*) from ({rows})")
            parquet = target / PARQUET_DIR / f"{table}.parquet"
            conn.execute(f"copy {copy} to {ql(str(parquet))} (format parquet)")
        conn.execute("detach " + SOURCE_ALIAS)
        conn.execute(
            "create table main.publish_manifest (version varchar, table_name varchar, "
            "row_count bigint)"
        )
        conn.executemany(
            "insert into main.publish_manifest values (?, ?, ?)",
            [(version, name, rows) for name, rows in counts.items()],
        )
        conn.execute("checkpoint")
    return counts


def audit_version(target: Path, expected: dict[str, int]) -> None:
    """Raise :class:`PublishAuditError` unless every table and Parquet file holds the expected rows."""
    problems = []
    if (target / f"{DATABASE_FILE}.wal").exists():
        problems.append("write-ahead log left beside the database")
    with duckdb.connect(str(target / DATABASE_FILE), read_only=True) as conn:
        present = {
            f"{s}.{t}"
            for s, t in conn.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_catalog = current_database() and table_schema <> 'main'"
            ).fetchall()
        }
        if present != set(expected):
            problems.append(
                f"tables differ: missing {sorted(set(expected) - present)}, "
                f"unexpected {sorted(present - set(expected))}"
            )
        for name, rows in expected.items():
            schema, table = name.split(".")
            if name in present:
                copied = _count(conn, f"select count(*) from {qi(schema)}.{qi(table)}")
                if copied != rows:
                    problems.append(f"{name}: {copied} rows published, {rows} in the warehouse")
            parquet = target / PARQUET_DIR / f"{table}.parquet"
            if not parquet.exists():
                problems.append(f"{parquet.name} missing")
                continue
            in_file = _count(conn, "select count(*) from read_parquet(?)", [str(parquet)])
            if in_file != rows:
                problems.append(f"{parquet.name}: {in_file} rows, {rows} in the warehouse")
    if problems:
        raise PublishAuditError("publish audit failed: " + "; ".join(problems))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def switch_current(published_dir: Path, version: str) -> None:
    """Point ``current`` (symlink) and ``CURRENT`` (text) at ``version``, each by one atomic rename."""
    published_dir = Path(published_dir)
    link_tmp = published_dir / f".{CURRENT_LINK}.{version}.tmp"
    link_tmp.unlink(missing_ok=True)
    os.symlink(Path(VERSIONS_DIR) / version, link_tmp, target_is_directory=True)
    os.replace(link_tmp, published_dir / CURRENT_LINK)
    text_tmp = published_dir / f".{CURRENT_FILE}.{version}.tmp"
    with text_tmp.open("w", encoding="utf-8") as handle:
        handle.write(version + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(text_tmp, published_dir / CURRENT_FILE)
    _fsync_dir(published_dir)


def prune_versions(published_dir: Path, keep: int) -> tuple[str, ...]:
    """Delete all but the newest ``keep`` versions (never the current one) and stale staging folders.

    A BI session still holding a deleted file open keeps reading it: on POSIX
    the data stays until the last handle closes.
    """
    published_dir = Path(published_dir)
    shutil.rmtree(published_dir / STAGING_DIR, ignore_errors=True)
    current = current_version(published_dir)
    versions = list_versions(published_dir)
    doomed = [v for v in versions[: max(len(versions) - keep, 0)] if v != current]
    for version in doomed:
        shutil.rmtree(published_dir / VERSIONS_DIR / version)
    return tuple(doomed)


def publish_marts(
    warehouse_path: Path,
    published_dir: Path,
    schemas: Sequence[str] = ("marts",),
    exclude_personal: bool = True,
    keep_versions: int = 5,
    version: str | None = None,
    plan_tables: Sequence[str] = (),
) -> PublishedVersion:
    """Publish the warehouse's ``schemas`` as a new version and make it current.

    Parameters
    ----------
    warehouse_path : Path
        The working DuckDB warehouse, opened read-only (attached).
    published_dir : Path
        ``$SOP_HOME/published``.
    schemas : sequence of str
        Schemas whose tables (and views, copied as tables) are published.
    exclude_personal : bool
        Refuse to publish when a column looks like personal data
        (``PERSONAL_COLUMN_MARKERS``).
    keep_versions : int
        Versions kept after the switch, the current one included.
    version : str, optional
        Version id; a UTC timestamp by default.
    plan_tables : sequence of str
        Plan marts published with each cycle's plan only (its latest approved scenario, else
        base, from ``marts.mart_plan_selection``); every scenario stays in
        ``mart_scenario_comparison``.

    Returns
    -------
    PublishedVersion
        The version now current.

    Raises
    ------
    PublishAuditError
        The copy does not match the warehouse or holds personal data; the
        current version is left as it was.
    """
    if keep_versions < 1:
        raise ValueError("keep_versions must be at least 1")
    published_dir = Path(published_dir)
    version = version or new_version_id()
    final = published_dir / VERSIONS_DIR / version
    if final.exists():
        raise FileExistsError(f"version {version} already published at {final}")
    staging = published_dir / STAGING_DIR / version
    shutil.rmtree(staging, ignore_errors=True)
    try:
        counts = _write_version(
            Path(warehouse_path), staging, schemas, exclude_personal, version, plan_tables
        )
        audit_version(staging, counts)
        (staging / MANIFEST_FILE).write_text(
            json.dumps(
                {"version": version, "schemas": list(schemas), "row_counts": counts}, indent=2
            ),
            encoding="utf-8",
        )
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    final.parent.mkdir(parents=True, exist_ok=True)
    os.rename(staging, final)
    switch_current(published_dir, version)
    pruned = prune_versions(published_dir, keep_versions)
    return PublishedVersion(version=version, directory=final, row_counts=counts, pruned=pruned)
