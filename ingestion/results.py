"""What a load did, per file and per source, shaped for Dagster asset metadata."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingestion.errors import LoadError

FileStatus = str  # loaded | empty | rejected | skipped | superseded | duplicate


@dataclass(frozen=True)
class FileLoadResult:
    """Outcome of one landing file in one load call.

    ``status`` is ``loaded``, ``empty`` or ``rejected`` for files processed
    now, ``skipped`` for files already in the ledger with the same content,
    ``superseded`` for older snapshot files that the newest one replaces.
    """

    file_name: str
    file_hash: str
    status: FileStatus
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    message: str | None = None


@dataclass
class SourceLoadResult:
    """Outcome of :func:`ingestion.loader.load_source` for one source."""

    source: str
    files: list[FileLoadResult] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def files_seen(self) -> int:
        return len(self.files)

    @property
    def files_loaded(self) -> int:
        """Files whose rows were (re)loaded now, empty files included."""
        return self._count("loaded") + self._count("empty")

    @property
    def files_skipped(self) -> int:
        return self._count("skipped") + self._count("superseded") + self._count("duplicate")

    @property
    def files_rejected(self) -> int:
        return self._count("rejected")

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files)

    def metadata(self) -> dict[str, int | str]:
        """Flat counts (and rejected files) for Dagster ``MaterializeResult`` metadata."""
        meta: dict[str, int | str] = {
            "files_seen": self.files_seen,
            "files_loaded": self.files_loaded,
            "files_skipped": self.files_skipped,
            "files_rejected": self.files_rejected,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_quarantined": self.rows_quarantined,
        }
        rejected = [f"{f.file_name}: {f.message}" for f in self.files if f.status == "rejected"]
        if rejected:
            meta["rejected_files"] = "\n".join(rejected)
        return meta


@dataclass
class LoadAllResult:
    """Outcome of :func:`ingestion.loader.load_all`: results and errors per source."""

    results: dict[str, SourceLoadResult] = field(default_factory=dict)
    errors: dict[str, LoadError] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors
