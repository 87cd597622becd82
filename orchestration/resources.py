"""Resources: where runtime state lives (``SOP_HOME``) and the warehouse connection.

Configuration reaches assets only through these resources, resolved at run
time (``EnvVar``), never read from the environment at import time.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb


class SopHome(dg.ConfigurableResource):
    """The one folder holding landing files, the warehouse, published copies and reports."""

    path: str

    @property
    def root(self) -> Path:
        return Path(self.path).expanduser().resolve()

    @property
    def landing_dir(self) -> Path:
        return self.root / "landing"

    @property
    def warehouse_path(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def published_dir(self) -> Path:
        return self.root / "published"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def provided_sources(self) -> tuple[str, ...]:
        """The sources this company sends (``sources.provided`` of its ``platform.yml``), read at run time."""
        from orchestration.settings import provided_sources

        return provided_sources(self.root)

    def ensure(self) -> None:
        """Create the folder layout if missing."""
        for folder in (self.landing_dir, self.published_dir, self.reports_dir):
            folder.mkdir(parents=True, exist_ok=True)


class WarehouseLockedError(RuntimeError):
    """Another process held the warehouse for longer than a run waits."""


class Warehouse(dg.ConfigurableResource):
    """The working DuckDB warehouse. One writer at a time: assets using it sit in pool ``warehouse``.

    Within one Dagster instance the pool serialises the writers. A process outside
    it (a second instance on the same home, a hand-opened DuckDB shell) holds
    DuckDB's file lock; a run then waits up to ``lock_wait_seconds`` for it, and
    fails with a message saying who holds it and why that should not happen.
    """

    home: dg.ResourceDependency[SopHome]
    lock_wait_seconds: float = 120.0

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        self.home.ensure()
        conn = self._open(read_only)
        try:
            yield conn
        finally:
            conn.close()

    def _open(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.lock_wait_seconds
        delay = 0.5
        while True:
            try:
                return duckdb.connect(str(self.home.warehouse_path), read_only=read_only)
            except duckdb.IOException as error:
                if "lock" not in str(error).lower():
                    raise
                if time.monotonic() >= deadline:
                    raise WarehouseLockedError(
                        f"{self.home.warehouse_path} stayed locked by another process for "
                        f"{self.lock_wait_seconds:.0f} s ({error}). One home has one Dagster "
                        "instance: run sop, the daemon and the UI with the same SOP_HOME and "
                        "DAGSTER_HOME, so the warehouse pool serialises them; close any DuckDB "
                        "shell open on the working file (BI tools read published/current)."
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 5.0)


WAREHOUSE_POOL = "warehouse"
