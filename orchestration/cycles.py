"""Planning cycles derived from the data: which months a company can plan, and why not others.

A cycle "as of month M" can be planned when the order history reaches back at
least ``planning.min_history_months`` months up to and including M (default 13:
one full seasonal year plus the month itself, the history below which the
forecast treats a series as new), and when M is closed, i.e. before the month
of the as-of date. Without the demo the as-of date comes from the data
(:func:`data_as_of`): the day after the newest order date, so an extract whose
orders run to 30 June has June closed, and one that ends on 14 June 2021
plans up to May 2021.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

from orchestration.warehouse_io import query

DEFAULT_MIN_HISTORY_MONTHS = 13


class CycleNotPlannableError(ValueError):
    """A requested cycle the data cannot support; the message is one line for the user."""


@dataclass(frozen=True)
class OrderHistory:
    """First and newest order date, ``None`` when no order line is known."""

    first: date | None = None
    newest: date | None = None

    def union(self, other: OrderHistory) -> OrderHistory:
        firsts = [d for d in (self.first, other.first) if d]
        newests = [d for d in (self.newest, other.newest) if d]
        return OrderHistory(min(firsts, default=None), max(newests, default=None))


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_of(text: str) -> date:
    """``YYYY-MM`` (or an ISO date) as the first day of that month."""
    try:
        return date.fromisoformat(text[:7] + "-01")
    except ValueError:
        raise CycleNotPlannableError(
            f"{text!r} is not a month: write YYYY-MM, e.g. 2024-03"
        ) from None


@dataclass(frozen=True)
class CycleWindow:
    """The cycles the data supports: ``first`` .. ``last`` (first days of months)."""

    history_start: date
    as_of: date
    min_history_months: int
    first: date
    last: date

    @property
    def months(self) -> list[date]:
        months, month = [], self.first
        while month <= self.last:
            months.append(month)
            month = add_months(month, 1)
        return months

    def check(self, cycle: date) -> None:
        """Raise :class:`CycleNotPlannableError` unless ``cycle`` is in the window."""
        if cycle < self.first:
            raise CycleNotPlannableError(
                f"cycle {cycle:%Y-%m} cannot be planned: a cycle needs {self.min_history_months} "
                f"months of order history (planning.min_history_months) and the orders start in "
                f"{self.history_start:%Y-%m}; the first cycle with enough history is {self.first:%Y-%m}"
            )
        if cycle > self.last:
            raise CycleNotPlannableError(
                f"cycle {cycle:%Y-%m} cannot be planned as of {self.as_of}: only closed months "
                f"before the as-of date can be planned; the latest is {self.last:%Y-%m}"
            )


def cycle_window(history: OrderHistory, as_of: date, min_history_months: int) -> CycleWindow:
    """The window of plannable cycles, or :class:`CycleNotPlannableError` when there is none."""
    if history.first is None:
        raise CycleNotPlannableError("no order lines are loaded yet: run `sop daily` first")
    start = history.first.replace(day=1)
    first = add_months(start, max(int(min_history_months), 1) - 1)
    last = add_months(as_of.replace(day=1), -1)
    if first > last:
        raise CycleNotPlannableError(
            f"no cycle can be planned as of {as_of}: the orders start in {start:%Y-%m} and a cycle "
            f"needs {min_history_months} months of history (planning.min_history_months), so the "
            f"first cycle is {first:%Y-%m}, not yet closed"
        )
    return CycleWindow(start, as_of, int(min_history_months), first, last)


def data_as_of(history: OrderHistory) -> date | None:
    """The as-of date the data itself gives: the day after its newest order date.

    The data is taken as complete through its newest order day; a clock-free
    "today" for a company's own extracts (freshness is measured against it).
    """
    return history.newest + timedelta(days=1) if history.newest else None


def min_history_months(settings: dict) -> int:
    return int(settings.get("planning", {}).get("min_history_months", DEFAULT_MIN_HISTORY_MONTHS))


def loaded_order_history(conn: duckdb.DuckDBPyConnection) -> OrderHistory:
    """The order history in ``raw.order_lines`` (empty when the table does not exist yet)."""
    try:
        row = query(conn, "order_history").iloc[0]
    except duckdb.CatalogException:
        return OrderHistory()
    return OrderHistory(_date(row["first_order_date"]), _date(row["newest_order_date"]))


def warehouse_order_history(warehouse_path: Path) -> OrderHistory:
    """:func:`loaded_order_history` of a warehouse file, opened read-only (nothing when absent)."""
    if not Path(warehouse_path).is_file():
        return OrderHistory()
    with duckdb.connect(str(warehouse_path), read_only=True) as conn:
        return loaded_order_history(conn)


def landing_order_history(landing_dir: Path) -> OrderHistory:
    """The order dates in the landing folder's order-line files (before they are loaded)."""
    from ingestion.contracts import CONTRACTS

    files = sorted(
        str(p)
        for p in Path(landing_dir).glob(CONTRACTS["order_lines"].file_glob)
        if p.is_file() and p.stat().st_size > 0
    )
    if not files:
        return OrderHistory()
    with duckdb.connect() as conn:
        try:
            row = query(conn, "landing_order_history", {"files": files}).iloc[0]
        except duckdb.Error:  # unreadable files: the daily run's ingestion reports them
            return OrderHistory()
    return OrderHistory(_date(row["first_order_date"]), _date(row["newest_order_date"]))


def home_order_history(home: Path) -> OrderHistory:
    """Order history of a home: what is loaded and what waits in its landing folder."""
    return warehouse_order_history(home / "warehouse.duckdb").union(
        landing_order_history(home / "landing")
    )


def _date(value) -> date | None:
    if value is None or value != value:  # None or NaT
        return None
    return value.date() if hasattr(value, "date") else value
