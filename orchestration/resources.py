"""Resources: where runtime state lives (``SOP_HOME``) and the warehouse connection.

Configuration reaches assets only through these resources, resolved at run
time (``EnvVar``), never read from the environment at import time.
"""


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


class Warehouse(dg.ConfigurableResource):
    """The working DuckDB warehouse. One writer at a time: assets using it sit in pool ``warehouse``."""

    home: dg.ResourceDependency[SopHome]

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        self.home.ensure()
        conn = duckdb.connect(str(self.home.warehouse_path), read_only=read_only)
        try:
            yield conn
        finally:
            conn.close()


WAREHOUSE_POOL = "warehouse"
