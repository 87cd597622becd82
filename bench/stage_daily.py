"""The daily-increment stage: one new day of files after a built warehouse.

The files of the dated sales sources (order lines, shipments, returns, invoices, cash
receipts) that hold the last delivered day are first cut back to the day before (a daily
file of that day is withheld), loaded and built (yesterday's run, not timed). Then the full
files come back - one more day of rows, a new daily file or a month-to-date file re-sent
with one more day - and the stage times what
the daily run does with them: the ingest of the changed files, DuckDB's own read of the
same files (the ingest limit; both medians of :data:`INGEST_REPEATS` runs), and the
incremental warehouse build with the test scope of
that day's daily run (``orchestration.dbt_test_scope``: the incremental facts tested on the
months rebuilt, unless the day is the first of a month).
"""

from __future__ import annotations

import csv
import json
import shutil
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb

from bench.stage_data import raw_read_sql
from bench.stage_dbt import WAREHOUSE_SELECTION, dbt_build
from orchestration.checks import AS_OF_TAG
from orchestration.dbt_test_scope import dbt_test_scope
from orchestration.warehouse_io import one_row

DATE_COLUMNS = {
    "order_lines": "order_date",
    "shipments": "ship_date",
    "returns": "return_date",
    "invoices": "invoice_date",
    "cash_receipts": "receipt_date",
}


INGEST_REPEATS = 5
"""Today's ingest is timed this many times (its rows withdrawn in between), each followed by
the raw read, and the medians compared: a load of a few tens of milliseconds varies by a
third from one run to the next on a shared machine. The first run is the day's real one."""


def daily_selection(day: date) -> list[str]:
    """The warehouse build as the daily run of ``day`` runs it: its test scope as a var."""
    scope = dbt_test_scope({AS_OF_TAG: day.isoformat()})
    return [*WAREHOUSE_SELECTION, "--vars", json.dumps(scope)]


def last_day(landing: Path) -> date:
    """The latest order date delivered: the "today" whose files the stage re-delivers."""
    latest = ""
    for path in (landing / "sales" / "order_lines").glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            i = next(reader).index(DATE_COLUMNS["order_lines"])
            latest = max([latest, *(row[i][:10] for row in reader)])
    return date.fromisoformat(latest)


def files_of_day(landing: Path, day: date) -> dict[str, Path]:
    """The dated sources' files that hold rows of ``day``, by source."""
    out = {}
    for source, column in DATE_COLUMNS.items():
        for path in sorted((landing / "sales" / source).glob("*.csv")):
            with path.open(newline="", encoding="utf-8") as f:
                reader = csv.reader(f)
                i = next(reader).index(column)
                if any(row[i][:10] == day.isoformat() for row in reader):
                    out[source] = path
                    break
    return out


def cut_back(path: Path, column: str, last_day: date, keep: Path) -> None:
    """Keep a copy of the file, then leave in it only the rows dated up to ``last_day``
    (or remove it when none is)."""
    shutil.copy2(path, keep)
    with keep.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    i = rows[0].index(column)
    kept = [r for r in rows[1:] if not r[i] or r[i][:10] <= last_day.isoformat()]
    if not kept:  # a daily file of the last day: not delivered yet
        path.unlink()
        return
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows([rows[0], *kept])


def withdraw(home: Path, files: dict[str, Path], missing_only: bool = True) -> None:
    """Take the rows of the files (by default only the withheld ones) out of raw and the
    ledger: the warehouse as it was before they were delivered."""
    from ingestion.contracts import CONTRACTS
    from ingestion.ledger import replace_files

    with duckdb.connect(str(home / "warehouse.duckdb")) as conn:
        for source, path in files.items():
            if not (missing_only and path.exists()):
                replace_files(
                    conn, CONTRACTS[source], [path.relative_to(home / "landing").as_posix()]
                )


def _ingest(home: Path) -> float:
    from ingestion.loader import load_all

    conn = duckdb.connect(str(home / "warehouse.duckdb"))
    try:
        started = time.perf_counter()
        outcome = load_all(conn, home / "landing")
        seconds = time.perf_counter() - started
    finally:
        conn.close()
    if outcome.errors:
        raise RuntimeError(f"ingest failed: {outcome.errors}")
    return seconds


def _raw_read(files: list[Path], workdir: Path) -> float:
    target = workdir / "daily_raw_read.duckdb"
    target.unlink(missing_ok=True)
    conn = duckdb.connect(str(target))
    try:
        started = time.perf_counter()
        for i, path in enumerate(files):
            conn.execute(raw_read_sql(f"t{i}", "csv", [path]))
        return time.perf_counter() - started
    finally:
        conn.close()
        target.unlink(missing_ok=True)


def daily_increment(ctx: dict) -> tuple[float, dict]:
    """Yesterday's load and build (untimed), then today's: ingest and incremental build timed."""
    home, workdir = Path(ctx["home"]), Path(ctx["workdir"])
    today = last_day(home / "landing")
    files = files_of_day(home / "landing", today)
    kept = workdir / "daily_full_files"
    kept.mkdir(exist_ok=True)
    for source, path in files.items():
        cut_back(path, DATE_COLUMNS[source], today - timedelta(days=1), kept / path.name)
    try:
        withdraw(home, files)
        yesterday_ingest = _ingest(home)
        # yesterday's build with today's vars: the timed build keeps dbt's partial parse
        yesterday_build, _ = dbt_build(ctx, daily_selection(today))
    finally:  # today's delivery (also after a failure: the landing folder is left whole)
        for path in files.values():
            shutil.copy2(kept / path.name, path)
    ingests, raws = [], []
    for repeat in range(INGEST_REPEATS):
        if repeat:  # the same delivery again, its rows withdrawn
            withdraw(home, files, missing_only=False)
        ingests.append(_ingest(home))
        raws.append(_raw_read(list(files.values()), workdir))
    ingest_seconds, raw_seconds = statistics.median(ingests), statistics.median(raws)
    build_seconds, details = dbt_build(ctx, daily_selection(today))
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        affected = {
            name: one_row(conn, f'select count(*) from incremental_state."{name}__affected"')[0]
            for (name,) in conn.execute(
                "select distinct replace(table_name, '__affected', '') from duckdb_tables() "
                "where schema_name = 'incremental_state' and table_name like '%__affected'"
            ).fetchall()
        }
    details.update(
        {
            "day": today.isoformat(),
            "new_files": {s: p.name for s, p in files.items()},
            "new_files_mib": sum(p.stat().st_size for p in files.values()) / 2**20,
            "ingest_seconds": ingest_seconds,
            "raw_read_seconds": raw_seconds,
            "ingest_runs_seconds": ingests,
            "raw_read_runs_seconds": raws,
            "ingest_share_of_raw": raw_seconds / ingest_seconds if ingest_seconds else None,
            "build_seconds": build_seconds,
            "affected_months": affected,
            "yesterday_ingest_seconds": yesterday_ingest,
            "yesterday_build_seconds": yesterday_build,
        }
    )
    return ingest_seconds + build_seconds, details
