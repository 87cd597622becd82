"""A company that is not the demo: the test bed for "bring your own data".

Only the minimal three sources (products, customers, order lines), in a shape
the demo never has: history from 2019, regions spelled ``Central`` /
``North-East`` / ``South`` / ``West Coast``, customers ordering in several
regions (the ship-to region and channel are on the order line), sparse SKUs,
launches through the history and no optional master columns
(``discontinue_date``, ``contact_phone`` absent from the files).

Deterministic for a seed. Writes plain CSV the way an ERP export would.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

REGIONS = ("Central", "North-East", "South", "West Coast")
CHANNELS = ("distributor", "retail", "online")
TIERS = ("key", "standard", "small")
PRODUCT_LINES = ("Garden Tools", "Lighting", "Storage")

PRODUCT_COLUMNS = [
    "sku",
    "product_name",
    "product_line",
    "brand",
    "list_price",
    "standard_cost",
    "launch_date",
    "production_line",
    "supplier_lead_time_days",
]
CUSTOMER_COLUMNS = [
    "customer_id",
    "customer_name",
    "region",
    "channel",
    "tier",
    "payment_terms_days",
]
ORDER_COLUMNS = [
    "order_id",
    "line_number",
    "order_date",
    "requested_date",
    "customer_id",
    "sku",
    "ordered_qty",
    "list_price",
    "discount_pct",
    "net_price",
    "region",
    "channel",
]


@dataclass(frozen=True)
class OwnCompany:
    """Settings of the test company."""

    first_month: date = date(2019, 1, 1)
    last_day: date = date(2021, 6, 14)
    n_skus: int = 18
    n_customers: int = 20
    seed: int = 7


def _write(path: Path, columns: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


def write_own_company(landing: Path, company: OwnCompany = OwnCompany()) -> dict[str, int]:
    """Write the three minimal extracts under ``landing``; return rows per source."""
    rng = np.random.default_rng(company.seed)
    months = []
    m = company.first_month
    while m <= company.last_day:
        months.append(m)
        m = (m.replace(day=28) + timedelta(days=4)).replace(day=1)

    products = []
    for i in range(company.n_skus):
        line = PRODUCT_LINES[i % len(PRODUCT_LINES)]
        # a third launch during the history, so many series are young
        early, late = len(months) // 4, max(len(months) // 4 + 1, len(months) - 3)
        launch = months[0] if i % 3 else months[int(rng.integers(early, late))]
        price = round(float(rng.uniform(20, 400)), 2)
        products.append(
            [
                f"P-{1000 + i}",
                f"Item {i}",
                line,
                "OwnBrand",
                f"{price:.2f}",
                f"{price * 0.55:.2f}",
                launch.isoformat(),
                "L1",
                str(int(rng.integers(7, 45))),
            ]
        )

    customers = []
    for j in range(company.n_customers):
        customers.append(
            [
                f"K{j:04d}",
                f"Customer {j}",
                REGIONS[j % len(REGIONS)],
                CHANNELS[j % len(CHANNELS)],
                TIERS[j % len(TIERS)],
                "30",
            ]
        )

    # each customer ships to its home region and, for most, one or two others
    ship_to = {
        c[0]: [
            c[2],
            *rng.choice(
                [r for r in REGIONS if r != c[2]], size=int(rng.integers(0, 3)), replace=False
            ).tolist(),
        ]
        for c in customers
    }
    rows = {"order_lines": 0}
    order_no = 0
    for month in months:
        month_end = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        last = min(month_end, company.last_day)
        lines = []
        season = 1.0 + 0.4 * np.sin(2 * np.pi * (month.month - 4) / 12)
        for product in products:
            if date.fromisoformat(product[6]) > month:
                continue
            # sparse: most SKUs have a handful of orders a month, some none
            n_orders = int(rng.poisson(2.5 * season * (0.3 if int(product[0][2:]) % 4 == 0 else 1)))
            for _ in range(n_orders):
                day = month + timedelta(days=int(rng.integers(0, (last - month).days + 1)))
                customer = customers[int(rng.integers(0, len(customers)))]
                region = ship_to[customer[0]][int(rng.integers(0, len(ship_to[customer[0]])))]
                order_no += 1
                qty = int(rng.integers(1, 12))
                price = float(product[4])
                discount = round(float(rng.choice([0.0, 0.05, 0.1])), 4)
                lines.append(
                    [
                        f"SO{order_no:07d}",
                        "1",
                        day.isoformat(),
                        (day + timedelta(days=5)).isoformat(),
                        customer[0],
                        product[0],
                        str(qty),
                        f"{price:.2f}",
                        f"{discount:.4f}",
                        f"{price * (1 - discount):.2f}",
                        region,
                        customer[3],
                    ]
                )
        lines.sort(key=lambda r: (r[2], r[0]))
        _write(
            landing / "sales" / "order_lines" / f"order_lines_{month:%Y-%m}.csv",
            ORDER_COLUMNS,
            lines,
        )
        rows["order_lines"] += len(lines)
    _write(landing / "masters" / "products.csv", PRODUCT_COLUMNS, products)
    _write(landing / "masters" / "customers.csv", CUSTOMER_COLUMNS, customers)
    rows["products"], rows["customers"] = len(products), len(customers)
    return rows


def landing_checksums(landing: Path) -> dict[str, str]:
    """sha256 of every file under ``landing`` (to prove nothing was modified)."""
    return {
        str(p.relative_to(landing)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(landing.rglob("*"))
        if p.is_file()
    }
