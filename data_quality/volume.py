"""Volume rule: the newest load must neither collapse nor spike against the loads before it.

Rule. A load is one landing file (``_source_file`` of the raw table). Its
volume is rows per event date it covers (``count(distinct event_date)``; one
for snapshots and sources without an event date), so a monthly history file
and a daily file compare fairly. The newest load (latest ``_loaded_at``, then
file name) must have at least ``min_ratio`` x the median volume of up to
``lookback`` previous loads, times the event dates it covers. When the caller
knows the previous load's row count (e.g. from the load ledger, for snapshot
tables that keep only the current snapshot) it passes it instead, and the
floor is ``min_ratio`` x that count. With neither a previous load nor a
previous count there is nothing to compare and no volume check is made.

The same baseline also caps the newest load at ``max_ratio`` (10) x it: a
5M-row file of a source that usually sends 5k rows is a full re-export, a
duplicated extract or a unit change, not a busy day (the Double 11 peak of
the demo is a few times a normal day, well under 10x).
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

import duckdb

from ingestion.sql import qi, qt

DEFAULT_MIN_RATIO = 0.3
DEFAULT_MAX_RATIO = 10.0
DEFAULT_LOOKBACK = 7


@dataclass(frozen=True)
class LoadVolume:
    """Rows and covered event dates of one loaded file."""

    source_file: str | None
    rows: int
    periods: int

    @property
    def rows_per_period(self) -> float:
        return self.rows / max(self.periods, 1)


@dataclass(frozen=True)
class VolumeFloor:
    """The fewest (and most) rows the newest load may have, and why."""

    source_file: str | None
    min_rows: int
    rule: str
    max_rows: int | None = None


def load_volumes(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    table_columns: set[str],
    event_date_column: str | None,
) -> list[LoadVolume]:
    """Per-file row counts of ``table``, oldest load first.

    Without a ``_source_file`` column the whole table counts as one load.
    """
    periods = (
        f"count(distinct {qi(event_date_column)})"
        if event_date_column and event_date_column in table_columns
        else "1"
    )
    if "_source_file" not in table_columns:
        counted = conn.execute(f"select count(*), {periods} from {qt(table)}").fetchone()
        assert counted is not None  # an aggregate without group by returns one row
        rows, n_periods = counted
        return [LoadVolume(None, int(rows), int(n_periods))]
    order = "max(_loaded_at), _source_file" if "_loaded_at" in table_columns else "_source_file"
    result = conn.execute(
        f"select _source_file, count(*), {periods} from {qt(table)} "
        f"group by _source_file order by {order}"
    ).fetchall()
    return [LoadVolume(name, int(rows), int(n)) for name, rows, n in result]


def volume_floor(
    volumes: list[LoadVolume],
    *,
    previous_row_count: int | None = None,
    min_ratio: float = DEFAULT_MIN_RATIO,
    lookback: int = DEFAULT_LOOKBACK,
    max_ratio: float | None = DEFAULT_MAX_RATIO,
) -> VolumeFloor | None:
    """Apply the volume rule to ``volumes`` (oldest first); ``None`` when nothing to compare.

    ``max_ratio=None`` checks the floor only.
    """
    if not volumes:
        return None
    newest = volumes[-1]
    if previous_row_count is not None:
        min_rows = math.ceil(min_ratio * previous_row_count)
        max_rows = _cap(max_ratio, previous_row_count)
        rule = (
            f"newest load must have >= {min_ratio:g} x the previous load's "
            f"{previous_row_count} rows = {min_rows}{_cap_text(max_ratio, max_rows)}"
        )
        return VolumeFloor(newest.source_file, min_rows, rule, max_rows)
    previous = volumes[-1 - lookback : -1]
    if not previous:
        return None
    baseline = statistics.median(v.rows_per_period for v in previous)
    min_rows = math.ceil(min_ratio * baseline * newest.periods)
    max_rows = _cap(max_ratio, baseline * newest.periods)
    rule = (
        f"newest load ({newest.source_file}, {newest.periods} event date(s)) must have "
        f">= {min_ratio:g} x the median {baseline:g} rows per event date of the "
        f"{len(previous)} previous load(s) = {min_rows} rows"
        f"{_cap_text(max_ratio, max_rows)}"
    )
    return VolumeFloor(newest.source_file, min_rows, rule, max_rows)


def _cap(max_ratio: float | None, baseline: float) -> int | None:
    return None if max_ratio is None else math.floor(max_ratio * max(baseline, 1))


def _cap_text(max_ratio: float | None, max_rows: int | None) -> str:
    return "" if max_rows is None else f" and <= {max_ratio:g} x that = {max_rows} rows"
