"""Ingest throughput of one large order-lines CSV, clean and with the lines DuckDB misreads.

``python -m bench.csv_lines --rows 1000000`` writes, in a temporary folder,
one order-lines file of ``--rows`` rows per variant and times
``ingestion.loader.load_source`` on a fresh warehouse:

* ``clean``: LF, no quotes: read by DuckDB straight from the file;
* ``quoted``: every customer id quoted: goes through the line pass
  (``ingestion.lines``), the worst case for a well-formed file;
* ``one_crlf``: one CRLF line in an LF file; ``one_bad_quote``: one
  unterminated quote. Both go through the line pass.

Prints rows/s, loaded and quarantined per variant as JSON. Not part of
``make bench``: it measures one stage's cost for one change.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

HEADER = (
    "order_id,line_number,order_date,requested_date,customer_id,sku,ordered_qty,"
    "list_price,discount_pct,net_price"
)
PRODUCTS = (
    "sku,product_name,product_line,brand,list_price,standard_cost,launch_date,"
    "discontinue_date,production_line,supplier_lead_time_days\n"
    "P1,Widget,Home,Acme,10.00,6.00,2023-01-01,,L1,14\n"
)
CUSTOMERS = (
    "customer_id,customer_name,contact_phone,region,channel,tier,payment_terms_days\n"
    "C1,Alpha,,EAST,retail,key,30\n"
)


def _line(i: int, customer: str = "C1") -> str:
    return f"SO{i},1,2024-03-01,2024-03-05,{customer},P1,5,10.00,0.1,9.00"


def write_variant(path: Path, rows: int, variant: str) -> None:
    """Write one order-lines file of ``rows`` rows in the given variant."""
    customer = '"C1"' if variant == "quoted" else "C1"
    lines = [_line(i, customer) for i in range(rows)]
    if variant == "one_crlf":
        lines[rows // 2] += "\r"
    elif variant == "one_bad_quote":
        lines[rows // 2] = lines[rows // 2].replace(",C1,", ',"C1,')
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")


def measure(rows: int, variant: str) -> dict[str, Any]:
    """Time one load of a fresh file of the variant into a fresh warehouse."""
    from ingestion.contracts import CONTRACTS
    from ingestion.errors import ContractViolation
    from ingestion.loader import load_source

    with tempfile.TemporaryDirectory(prefix="bench_csv_") as tmp:
        landing = Path(tmp) / "landing"
        (landing / "masters").mkdir(parents=True)
        (landing / "masters/products.csv").write_text(PRODUCTS, encoding="utf-8")
        (landing / "masters/customers.csv").write_text(CUSTOMERS, encoding="utf-8")
        write_variant(landing / "sales/order_lines/order_lines_2024-03.csv", rows, variant)
        conn = duckdb.connect(str(Path(tmp) / "w.duckdb"))
        try:
            load_source(conn, CONTRACTS["products"], landing)
            load_source(conn, CONTRACTS["customers"], landing)
            started = time.perf_counter()
            try:
                result = load_source(conn, CONTRACTS["order_lines"], landing)
                loaded, quarantined, error = result.rows_loaded, result.rows_quarantined, None
            except ContractViolation as exc:
                loaded, quarantined, error = 0, 0, str(exc).splitlines()[-1].strip()[:120]
            seconds = time.perf_counter() - started
        finally:
            conn.close()
    return {
        "variant": variant,
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds),
        "loaded": loaded,
        "quarantined": quarantined,
        "error": error,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--variants", default="clean,quoted,one_crlf,one_bad_quote")
    args = parser.parse_args(argv)
    for variant in args.variants.split(","):
        print(json.dumps(measure(args.rows, variant)), flush=True)


if __name__ == "__main__":
    main()
