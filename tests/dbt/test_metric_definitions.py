"""Net revenue, fill rate, cash collected and DSO recomputed from the landing CSV files.

An independent implementation: pandas over the raw extracts the demo company wrote (not
the warehouse), compared with the marts and with MetricFlow's answer for the same month.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from dbt_demo_build import DemoWarehouse, mf_query

pytestmark = pytest.mark.xdist_group("dbt_demo")

MONTH = pd.Timestamp("2026-10-01")
"""The last complete month of the demo (as_of 2026-11-23)."""


def _read(landing: Path, pattern: str) -> pd.DataFrame:
    frames = [
        pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted(landing.glob(pattern))
    ]
    return pd.concat(frames, ignore_index=True)


def _cents(values: pd.Series) -> pd.Series:
    return values.map(lambda v: int(Decimal(v) * 100)).astype("int64")


def _in_month(dates: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(dates)
    return (parsed >= MONTH) & (parsed < MONTH + pd.offsets.MonthBegin(1))


@pytest.fixture(scope="module")
def expected(demo_warehouse: DemoWarehouse) -> dict[str, object]:
    """The month's figures straight from the landing files, by the stated definitions."""
    landing = demo_warehouse.landing_dir
    lines = _read(landing, "sales/order_lines/*.csv")
    ships = _read(landing, "sales/shipments/*.csv")
    rets = _read(landing, "sales/returns/*.csv")
    receipts = _read(landing, "sales/cash_receipts/*.csv")
    invoices = _read(landing, "sales/invoices/*.csv")
    customers = _read(landing, "masters/customers*.csv")[["customer_id", "region"]]

    lines["ordered_qty"] = lines["ordered_qty"].astype("int64")
    lines["net_cents"] = _cents(lines["net_price"])
    ships["shipped_qty"] = ships["shipped_qty"].astype("int64")
    key = ["order_id", "line_number"]

    # Net revenue: shipped units x net price by ship date, less return credits by return date.
    shipped = ships[_in_month(ships["ship_date"])].merge(
        lines[key + ["net_cents", "customer_id"]], on=key, how="left", validate="many_to_one"
    )
    assert shipped["net_cents"].notna().all()
    shipped["cents"] = shipped["shipped_qty"] * shipped["net_cents"]
    returned = rets[_in_month(rets["return_date"])].assign(
        cents=lambda d: -_cents(d["credit_amount"])
    )
    revenue = pd.concat([shipped[["customer_id", "cents"]], returned[["customer_id", "cents"]]])
    by_region = revenue.merge(customers, on="customer_id").groupby("region")["cents"].sum()

    # Fill rate: lines ordered in the month; all their shipments, each line capped at its order.
    booked = lines[_in_month(lines["order_date"])]
    shipped_per_line = ships.groupby(key)["shipped_qty"].sum()
    filled = booked.join(shipped_per_line, on=key)["shipped_qty"].fillna(0).astype("int64")
    filled = filled.clip(upper=booked["ordered_qty"])

    # Cash collected: receipts by the date the cash arrived.
    cash = _cents(receipts.loc[_in_month(receipts["receipt_date"]), "amount"]).sum()

    # DSO: receivables at month end / (invoiced in the month / days in the month).
    month_end = MONTH + pd.offsets.MonthEnd(0)
    inv_dates, rec_dates = (
        pd.to_datetime(invoices["invoice_date"]),
        pd.to_datetime(receipts["receipt_date"]),
    )
    inv_cents, rec_cents = _cents(invoices["invoice_amount"]), _cents(receipts["amount"])
    receivables = inv_cents[inv_dates <= month_end].sum() - rec_cents[rec_dates <= month_end].sum()
    invoiced = inv_cents[_in_month(invoices["invoice_date"])].sum()

    return {
        "net_revenue_cents": int(revenue["cents"].sum()),
        "net_revenue_cents_by_region": {r: int(c) for r, c in by_region.items()},
        "filled_units": int(filled.sum()),
        "ordered_units": int(booked["ordered_qty"].sum()),
        "cash_collected_cents": int(cash),
        "dso": receivables / (invoiced / month_end.day),
    }


def test_marts_match_the_landing_files(demo_warehouse: DemoWarehouse, expected: dict) -> None:
    start, end = MONTH.date(), (MONTH + pd.offsets.MonthBegin(1)).date()
    with demo_warehouse.connect() as conn:
        net_revenue = conn.execute(
            "select sum(net_revenue_amount) from marts.fct_revenue_lines "
            "where revenue_date >= ? and revenue_date < ?",
            [start, end],
        ).fetchone()[0]
        filled, ordered = conn.execute(
            "select sum(filled_qty), sum(ordered_qty) from marts.fct_order_lines "
            "where order_date >= ? and order_date < ?",
            [start, end],
        ).fetchone()
        cash = conn.execute(
            "select sum(receipt_amount) from marts.fct_cash_receipts "
            "where receipt_date >= ? and receipt_date < ?",
            [start, end],
        ).fetchone()[0]
    assert int(Decimal(net_revenue) * 100) == expected["net_revenue_cents"]
    assert (filled, ordered) == (expected["filled_units"], expected["ordered_units"])
    assert filled < ordered, "the demo should have short shipments in the month"
    assert int(Decimal(cash) * 100) == expected["cash_collected_cents"]


def test_metric_layer_matches_the_landing_files(
    demo_warehouse: DemoWarehouse, expected: dict, tmp_path: Path
) -> None:
    out = tmp_path / "metrics.csv"
    where = f"{{{{ TimeDimension('metric_time', 'month') }}}} = '{MONTH.date()}'"
    proc = mf_query(
        demo_warehouse,
        ["net_revenue", "fill_rate_units", "cash_collected", "dso"],
        ["metric_time__month"],
        out,
        where=where,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    row = pd.read_csv(out).iloc[0]
    assert round(float(row["net_revenue"]) * 100) == expected["net_revenue_cents"]
    assert row["fill_rate_units"] == pytest.approx(
        expected["filled_units"] / expected["ordered_units"], rel=1e-12
    )
    assert round(float(row["cash_collected"]) * 100) == expected["cash_collected_cents"]
    assert row["dso"] == pytest.approx(expected["dso"], rel=1e-9)


def test_readme_query_net_revenue_by_region(
    demo_warehouse: DemoWarehouse, expected: dict, tmp_path: Path
) -> None:
    """The README's query: net revenue by month and customer region."""
    out = tmp_path / "by_region.csv"
    proc = mf_query(
        demo_warehouse, ["net_revenue"], ["metric_time__month", "customer__region"], out
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    frame = pd.read_csv(out, parse_dates=["metric_time__month"])
    month = frame[frame["metric_time__month"] == MONTH]
    got = {
        r: round(v * 100)
        for r, v in zip(month["customer__region"], month["net_revenue"], strict=True)
    }
    assert got == expected["net_revenue_cents_by_region"]
    assert frame["metric_time__month"].nunique() >= 12


def test_revenue_against_budget_by_product_line(
    demo_warehouse: DemoWarehouse, tmp_path: Path
) -> None:
    """Metrics of different facts share product line, region and channel (shared entities):
    net revenue and budget revenue by month and product line in one query, as the marts sum."""
    out = tmp_path / "vs_budget.csv"
    proc = mf_query(
        demo_warehouse,
        ["net_revenue", "budget_revenue"],
        ["metric_time__month", "product_line"],
        out,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    frame = pd.read_csv(out, parse_dates=["metric_time__month"])
    month = frame[frame["metric_time__month"] == MONTH].set_index("product_line")
    start, end = MONTH.date(), (MONTH + pd.offsets.MonthBegin(1)).date()
    with demo_warehouse.connect() as conn:
        revenue = dict(
            conn.execute(
                "select product_line, sum(net_revenue_amount) from marts.fct_revenue_lines "
                "where revenue_date >= ? and revenue_date < ? group by product_line",
                [start, end],
            ).fetchall()
        )
        budget = dict(
            conn.execute(
                "select product_line, sum(budget_revenue) from marts.fct_budget where month = ? "
                "group by product_line",
                [start],
            ).fetchall()
        )
    assert len(revenue) >= 2 and budget, "the demo should have revenue and budget by line"
    assert set(month.index) == set(revenue) | set(budget)
    for line, amount in revenue.items():
        assert round(month.loc[line, "net_revenue"] * 100) == round(float(amount) * 100), line
    for line, amount in budget.items():
        assert round(month.loc[line, "budget_revenue"] * 100) == round(float(amount) * 100), line


def test_region_and_channel_join_revenue_and_budget(
    demo_warehouse: DemoWarehouse, tmp_path: Path
) -> None:
    """Region is shared by revenue and budget; channel by revenue, orders and receipts."""
    out = tmp_path / "by_region.csv"
    proc = mf_query(
        demo_warehouse, ["net_revenue", "budget_revenue"], ["metric_time__month", "region"], out
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    frame = pd.read_csv(out)
    assert frame["region"].notna().any() and frame["budget_revenue"].notna().any()
    out = tmp_path / "by_channel.csv"
    proc = mf_query(
        demo_warehouse,
        ["net_revenue", "fill_rate_units", "cash_collected"],
        ["metric_time__month", "channel"],
        out,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert pd.read_csv(out)["channel"].notna().all()
