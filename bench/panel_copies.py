"""A larger forecast panel from a bench scale's warehouse, without generating a larger demo.

The forecast stages read three tables: the monthly demand panel, the products and the
promotion days. ``copies`` copies of each, every copy's SKUs renamed ``<sku>~<copy>``,
give a panel of ``copies`` times the series with the same shape (history lengths,
demand classes, zeros, promotions) as the scale it comes from: what the forecast's
per-series and driver costs are measured on. Example, after ``python -m bench.run
--scales 10k --stages forecast --keep-data --workdir W``::

    python -m bench.panel_copies W/s10000/sop_home --copies 2 --workdir W/x2 \\
        --stages forecast,forecast_spark
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import duckdb

from bench.measure import run_stage

TABLES = (
    "marts.fct_demand_monthly",
    "marts.dim_product",
    "intermediate.int_demand_drivers_monthly",
)
"""What the forecast stages read (``orchestration/sql/cycle_*.sql``)."""
COPY_SQL = Path(__file__).with_name("panel_copies.sql")


def write_copies(source_home: Path, target_home: Path, copies: int) -> int:
    """Write ``target_home/warehouse.duckdb`` with ``copies`` renamed copies; return its series."""
    target_home.mkdir(parents=True, exist_ok=True)
    target = target_home / "warehouse.duckdb"
    target.unlink(missing_ok=True)
    with duckdb.connect(str(target)) as conn:
        conn.execute(
            "attach $path as src (read_only)", {"path": str(source_home / "warehouse.duckdb")}
        )
        for table in TABLES:
            schema, name = table.split(".")
            conn.execute(f"create schema if not exists {schema}")
            if _has_sku(conn, schema, name):
                sql = COPY_SQL.read_text().format(table=f"src.{table}")
                conn.execute(f"create table {table} as {sql}", {"copies": copies})
            else:  # product line x region: the same rows serve every copy
                conn.execute(f"create table {table} as select * from src.{table}")
        row = conn.execute(
            "select count(*) from (select distinct sku, region, channel from marts.fct_demand_monthly)"
        ).fetchone()
        conn.execute("detach src")
    return int(row[0]) if row else 0


def _has_sku(conn: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    row = conn.execute(
        "select count(*) from information_schema.columns where table_catalog = 'src' "
        "and table_schema = $s and table_name = $t and column_name = 'sku'",
        {"s": schema, "t": name},
    ).fetchone()
    return bool(row and row[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source_home", type=Path, help="SOP_HOME of a bench scale (--keep-data)")
    parser.add_argument("--copies", type=int, default=2)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--stages", default="forecast,forecast_spark")
    parser.add_argument("--timeout", type=float, default=7200)
    args = parser.parse_args(argv)
    source_ctx = json.loads((args.source_home.parent / "context.json").read_text())
    home = args.workdir / "sop_home"
    series = write_copies(args.source_home, home, args.copies)
    ctx = {**source_ctx, "home": str(home), "workdir": str(args.workdir)}
    context_path = args.workdir / "context.json"
    context_path.write_text(json.dumps(ctx, indent=1))
    print(f"== {args.copies} copies of {args.source_home}: {series} series", flush=True)
    results = {"series": series, "copies": args.copies, "stages": {}}
    for stage in args.stages.split(","):
        m = run_stage(stage, context_path, args.workdir, args.timeout)
        results["stages"][stage] = m
        print(
            f"  {stage:<16} {m['status']} {m['seconds'] or 0:8.1f} s  peak {m['peak_rss_mib']:7.0f} MiB"
            f"  load {m['load_avg_1m']:.1f}  load now {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        if m["error"]:
            print(m["error"], flush=True)
    (args.workdir / "results.json").write_text(json.dumps(results, default=str, indent=1))
    return 0 if all(m["status"] == "ok" for m in results["stages"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
