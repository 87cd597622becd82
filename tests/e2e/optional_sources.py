"""Small hand-made optional extracts for the own (minimal) company, derived from its order lines.

Each writer adds one source the way a company would start sending it: shipments
against the booked lines, month-end stock counts, a capacity plan and daily
production output. Deterministic; sized for tests, not for realism.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pandas as pd


def _order_lines(landing: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted((landing / "sales" / "order_lines").glob("order_lines_*.csv")):
        with path.open(encoding="utf-8") as f:
            rows += list(csv.DictReader(f))
    return rows


def _skus(landing: Path) -> list[str]:
    with (landing / "masters" / "products.csv").open(encoding="utf-8") as f:
        return [row["sku"] for row in csv.DictReader(f)]


def _write_csv(path: Path, columns: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


def _months(first: date, last: date) -> list[date]:
    months, m = [], first.replace(day=1)
    while m <= last:
        months.append(m)
        m = (m.replace(day=28) + timedelta(days=4)).replace(day=1)
    return months


def write_shipments(landing: Path, last_day: date) -> int:
    """Ship every line two days after ordering (never after ``last_day``); every 5th line 80 %."""
    by_month: dict[str, list[list]] = {}
    for i, line in enumerate(_order_lines(landing)):
        ship = min(date.fromisoformat(line["order_date"]) + timedelta(days=2), last_day)
        qty = int(line["ordered_qty"])
        shipped = max(1, int(qty * 0.8)) if i % 5 == 0 else qty
        by_month.setdefault(f"{ship:%Y-%m}", []).append(
            [
                f"SH{i:07d}",
                line["order_id"],
                line["line_number"],
                ship.isoformat(),
                line["sku"],
                "WH1",
                shipped,
            ]
        )
    for month, rows in by_month.items():
        _write_csv(
            landing / "sales" / "shipments" / f"shipments_{month}.csv",
            [
                "shipment_id",
                "order_id",
                "line_number",
                "ship_date",
                "sku",
                "warehouse_id",
                "shipped_qty",
            ],
            rows,
        )
    return sum(len(r) for r in by_month.values())


def _write_parquet(path: Path, frame: pd.DataFrame) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(path, index=False)


def write_inventory_snapshots(landing: Path, first: date, last_day: date) -> None:
    """A month-end count per SKU in one warehouse, and one at ``last_day``; every 6th SKU out."""
    skus = _skus(landing)
    days = [
        ((m.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1))
        for m in _months(first, last_day)
    ]
    days = [d for d in days if d < last_day] + [last_day]
    frame = pd.DataFrame(
        [
            (d, sku, "WH1", 0 if i % 6 == 0 else 20 + 3 * i)
            for d in days
            for i, sku in enumerate(skus)
        ],
        columns=["snapshot_date", "sku", "warehouse_id", "on_hand_qty"],
    ).astype({"on_hand_qty": "int32"})
    _write_parquet(
        landing / "inventory" / "snapshots" / f"inventory_{last_day:%Y-%m-%d}.parquet", frame
    )


def write_capacity_and_production(
    landing: Path, first: date, last_day: date, horizon_end: date
) -> None:
    """Line L1: 400 units a month through ``horizon_end``; 10 units a day per SKU produced."""
    _write_csv(
        landing / "capacity" / "capacity.csv",
        ["month", "production_line", "available_hours", "units_per_hour", "available_units"],
        [[m.isoformat(), "L1", 200.0, 2.0, 400] for m in _months(first, horizon_end)],
    )
    skus = _skus(landing)
    days = [last_day - timedelta(days=k) for k in range(60)]
    frame = pd.DataFrame(
        [(d, "L1", sku, 10) for d in days for sku in skus[:4]],
        columns=["production_date", "production_line", "sku", "produced_qty"],
    ).astype({"produced_qty": "int32"})
    _write_parquet(
        landing / "inventory" / "production" / f"production_{last_day:%Y-%m-%d}.parquet", frame
    )
