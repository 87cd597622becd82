"""DuckDB's thread count for statements too small to gain from parallel pipelines."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb


class ThreadSetting:
    """Switches a connection between one thread (small work) and its own setting (large
    work), one statement a switch, and restores its own setting at :meth:`restore`.

    ``threads`` is a setting of the whole database instance, so the work should be the only
    work on it (the loader and the forecast's panel copy are). Small statements finish
    sooner on one thread, as setting up the parallel pipelines costs more than their rows
    take (a day's order lines: checked in 23 ms on one thread against 29 ms on two).
    """

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self._conn = conn
        self._own: int | None = None

    def small(self) -> None:
        """One thread from here on."""
        if self._own is None:
            self._own = int(
                self._conn.execute("select current_setting('threads')").fetchall()[0][0]
            )
            self._conn.execute("set threads = 1")

    def restore(self) -> None:
        """The connection's own setting again (large work, or the end)."""
        if self._own is not None:
            self._conn.execute(f"set threads = {self._own}")
            self._own = None


@contextmanager
def one_thread(conn: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run the block on one DuckDB thread, then restore the connection's setting."""
    setting = ThreadSetting(conn)
    setting.small()
    try:
        yield
    finally:
        setting.restore()
