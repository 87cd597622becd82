"""Landing files of a source: discovery, content hashes and header checks.

The header check is the structural half of the contract: every required
contract column must be present (matched case-insensitively, surrounding
blanks ignored). An optional column the file lacks is loaded as empty (NULL);
unexpected extra columns are accepted and ignored; the ledger notes both. A
missing required column, a duplicated column or an unreadable header makes
the file a structural break (:class:`HeaderError`).
"""

from __future__ import annotations

import csv
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingestion.contracts import SourceContract

_HASH_CHUNK = 1 << 20
_MAX_HEADER_BYTES = 1 << 16


class HeaderError(ValueError):
    """A file whose header or structure cannot satisfy its contract."""


@dataclass(frozen=True)
class LandingFile:
    """One landing file: absolute path, name relative to the landing folder, size, sha256, mtime."""

    path: Path
    name: str
    size: int
    file_hash: str
    mtime_ns: int = 0


@dataclass(frozen=True)
class HeaderCheck:
    """Result of a passed header check.

    ``header`` is the file's header as written; ``read_names`` are the names to read the file's columns under, in file
    order (contract names where they match, the normalised header otherwise);
    ``ignored`` lists extra columns the file carries beyond the contract;
    ``absent`` the optional contract columns it lacks (read as NULL).
    """

    header: tuple[str, ...]
    read_names: tuple[str, ...]
    ignored: tuple[str, ...]
    absent: tuple[str, ...] = ()

    @property
    def note(self) -> str | None:
        notes = []
        if self.absent:
            notes.append("absent optional column(s) loaded as empty: " + ", ".join(self.absent))
        if self.ignored:
            notes.append("ignored unexpected column(s): " + ", ".join(self.ignored))
        return "; ".join(notes) or None


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def discover(
    contract: SourceContract,
    landing_dir: Path,
    known: dict[tuple[str, int, int], str] | None = None,
) -> list[LandingFile]:
    """The contract's files under ``landing_dir``, sorted by relative name.

    ``known`` maps (name, size, mtime_ns) of file versions already in the load
    ledger to their content hash: such a file is not read again, so a daily
    run costs what its new files cost, not what the whole history costs.
    """
    known = known or {}
    root = Path(landing_dir).resolve()
    prefix = len(str(root)) + 1
    found = []
    # one lstat a file, sorted by path parts as pathlib sorts: a daily run stats every file
    # ever delivered
    for path in root.glob(contract.file_glob):
        info = path.lstat()
        link = stat.S_ISLNK(info.st_mode)
        if link:
            try:
                info = path.stat()
            except OSError:  # a broken link is no file
                continue
        if stat.S_ISREG(info.st_mode):
            found.append((str(path)[prefix:].replace(os.sep, "/"), path, link, info))
    files = []
    for name, path, link, info in sorted(found, key=lambda item: item[0].split("/")):
        file_hash = known.get((name, info.st_size, info.st_mtime_ns)) or sha256_of(path)
        files.append(
            LandingFile(
                path=path.resolve() if link else path,
                name=name,
                size=info.st_size,
                file_hash=file_hash,
                mtime_ns=info.st_mtime_ns,
            )
        )
    return files


def csv_header(path: Path) -> list[str] | None:
    """The header fields of a CSV file, or ``None`` for a 0-byte or blank file."""
    with path.open("rb") as handle:
        line = handle.readline(_MAX_HEADER_BYTES)
    try:
        text = line.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HeaderError(f"unreadable header (not UTF-8 text: {exc.reason})") from exc
    try:
        first = next(csv.reader([text]), None)
    except csv.Error as exc:
        raise HeaderError(f"unreadable header ({exc})") from exc
    if first is None or not any(field.strip() for field in first):
        return None
    return first


def parquet_columns(conn: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    """Top-level column names of a Parquet file; a corrupt file raises :class:`HeaderError`."""
    try:
        cursor = conn.execute("select * from read_parquet(?) limit 0", [str(path)])
        names = [d[0] for d in cursor.description]
        cursor.fetchall()
    except duckdb.Error as exc:
        first_line = str(exc).splitlines()[0]
        raise HeaderError(f"unreadable Parquet file ({first_line})") from exc
    return names


def check_header(contract: SourceContract, header: list[str]) -> HeaderCheck:
    """Match a file header against the contract columns.

    Raises
    ------
    HeaderError
        When a required contract column is missing or a column name repeats;
        the message names the columns and, for a likely rename, the unexpected
        ones. Missing optional columns are listed in ``absent``.
    """
    normalised = [h.strip().lower() for h in header]
    repeated = sorted({n for n in normalised if normalised.count(n) > 1 and n})
    if repeated:
        raise HeaderError("repeated column(s): " + ", ".join(repeated))
    by_lower = {c.name.lower(): c.name for c in contract.columns}
    lacking = [c for c in contract.columns if c.name.lower() not in normalised]
    missing = [c.name for c in lacking if c.required]
    absent = tuple(c.name for c in lacking if not c.required)
    ignored = tuple(h.strip() for h, n in zip(header, normalised, strict=True) if n not in by_lower)
    if missing:
        message = "missing contract column(s): " + ", ".join(missing)
        if ignored:
            message += "; found unexpected column(s): " + ", ".join(ignored) + " (renamed?)"
        raise HeaderError(message)
    read_names = tuple(by_lower.get(n, f"_extra_{i}") for i, n in enumerate(normalised))
    return HeaderCheck(header=tuple(header), read_names=read_names, ignored=ignored, absent=absent)
