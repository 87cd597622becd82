"""Data stages of the bench: generate the demo, ingest it, and the ingest limit (DuckDB's own read).

Each function takes the stage context (see ``bench.stages``) and returns
``(seconds, details)``: the seconds of the stage's own work and what it did.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from bench.scales import Scale

if TYPE_CHECKING:
    from ingestion.contracts import SourceContract

TABULAR_FORMATS = ("csv", "parquet")
"""Formats DuckDB reads natively; the sales team's .xlsx workbooks have no raw-read limit."""


def generation(ctx: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    """Simulate the demo company at this scale and write its landing files."""
    from demo_company import DemoConfig, generate

    scale = Scale.from_dict(ctx["scale"])
    landing = Path(ctx["home"]) / "landing"
    started = time.perf_counter()
    summary = generate(DemoConfig(**scale.demo_config_kwargs()), landing)
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in landing.rglob("*") if p.is_file())
    return seconds, {
        "files": summary.n_files,
        "rows": dict(summary.rows),
        "total_rows": int(sum(summary.rows.values())),
        "landing_mib": size / 2**20,
    }


def ingest(ctx: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    """Load every source with the platform's loader, one source at a time, timing each."""
    from ingestion.contracts import CONTRACTS
    from ingestion.loader import dependency_order, load_source

    landing = Path(ctx["home"]) / "landing"
    by_source, rows, quarantined = {}, {}, {}
    conn = duckdb.connect(str(Path(ctx["home"]) / "warehouse.duckdb"))
    try:
        started = time.perf_counter()
        for name in dependency_order(CONTRACTS):
            t0 = time.perf_counter()
            result = load_source(conn, CONTRACTS[name], landing)
            by_source[name] = time.perf_counter() - t0
            rows[name], quarantined[name] = result.rows_loaded, result.rows_quarantined
        seconds = time.perf_counter() - started
    finally:
        conn.close()
    tabular = [n for n in by_source if CONTRACTS[n].format in TABULAR_FORMATS]
    return seconds, {
        "seconds_by_source": by_source,
        "rows_loaded": rows,
        "rows_quarantined": quarantined,
        "total_rows_loaded": int(sum(rows.values())),
        "tabular_sources": tabular,
        "tabular_seconds": sum(by_source[n] for n in tabular),
        "tabular_rows": int(sum(rows[n] for n in tabular)),
    }


def limit_files(contract: SourceContract, landing: Path) -> list[Path]:
    """The files of a source that the loader actually loads: all, or the newest of a snapshot."""
    files = sorted(p for p in landing.glob(contract.file_glob) if p.is_file() and p.stat().st_size)
    return files[-1:] if contract.load_mode == "snapshot" else files


def raw_read_sql(table: str, file_format: str, files: list[Path]) -> str:
    """``create table ... as select * from read_csv([...])`` (or read_parquet) for the files."""
    if file_format not in TABULAR_FORMATS:
        raise ValueError(f"DuckDB has no built-in reader for {file_format!r}")
    listed = ", ".join("'" + str(p).replace("'", "''") + "'" for p in files)
    reader = "read_csv" if file_format == "csv" else "read_parquet"
    return f'create or replace table "{table}" as select * from {reader}([{listed}])'


def raw_read(ctx: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    """The ingest limit: DuckDB reads the same landing files straight into tables.

    Same files the loader loads (snapshot sources: the newest file only), into a
    separate database file on the same disk, with DuckDB's defaults (type
    sniffing, all cores). No validation, quarantine, ledger or lineage columns:
    that is the work our ingest adds on top.
    """
    from ingestion.contracts import CONTRACTS

    landing = Path(ctx["home"]) / "landing"
    target = Path(ctx["workdir"]) / "raw_read_limit.duckdb"
    target.unlink(missing_ok=True)
    by_source, rows, size = {}, {}, 0
    conn = duckdb.connect(str(target))
    try:
        for name, contract in CONTRACTS.items():
            if contract.format not in TABULAR_FORMATS:
                continue
            files = limit_files(contract, landing)
            if not files:
                continue
            t0 = time.perf_counter()
            conn.execute(raw_read_sql(name, contract.format, files))
            by_source[name] = time.perf_counter() - t0
            rows[name] = conn.execute(f'select count(*) from "{name}"').fetchall()[0][0]
            size += sum(p.stat().st_size for p in files)
    finally:
        conn.close()
        target.unlink(missing_ok=True)
    seconds = sum(by_source.values())  # the reads only, not the row counts after them
    return seconds, {
        "seconds_by_source": by_source,
        "rows": rows,
        "total_rows": int(sum(rows.values())),
        "bytes_read": size,
    }
