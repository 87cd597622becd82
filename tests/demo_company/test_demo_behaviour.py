"""Business behaviour planners will look at: stock-outs, holidays, life cycle, bias, money."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from demo_company import DemoConfig, generate
from demo_company.calendar import SPRING_FESTIVAL

LONG = DemoConfig(n_skus=16, n_customers=40, start_month="2024-01", as_of=date(2026, 1, 12))


def _load(root: Path, pattern: str) -> pd.DataFrame:
    frames = [pd.read_csv(p, keep_default_na=False) for p in sorted(root.glob(pattern))]
    return pd.concat([f for f in frames if len(f)], ignore_index=True)


@pytest.fixture(scope="module")
def long_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("long")
    generate(LONG, root)
    orders = _load(root, "sales/order_lines/*.csv")
    orders["order_date"] = pd.to_datetime(orders["order_date"])
    customers = pd.read_csv(root / "masters/customers.csv", keep_default_na=False)
    orders = orders.merge(customers[["customer_id", "region", "channel"]], on="customer_id")
    products = pd.read_csv(root / "masters/products.csv", keep_default_na=False)
    orders = orders.merge(products[["sku", "product_line"]], on="sku")
    return root, orders, customers, products


def test_shipments_never_exceed_orders_and_stockouts_happen(long_run):
    root, orders, _, _ = long_run
    ship = _load(root, "sales/shipments/*.csv")
    merged = orders.merge(ship, on=["order_id", "line_number"], how="left")
    assert (
        merged["shipped_qty"].dropna() <= merged.loc[merged["shipped_qty"].notna(), "ordered_qty"]
    ).all()
    assert ship["shipment_id"].is_unique and (ship["shipped_qty"] > 0).all()
    past = merged[merged["order_date"] < pd.Timestamp(LONG.as_of) - pd.Timedelta(days=5)]
    short = past["shipped_qty"].fillna(0) < past["ordered_qty"]
    assert 0.002 < short.mean() < 0.3
    assert past["shipped_qty"].fillna(0).sum() < past["ordered_qty"].sum()


def test_prices_and_discounts_are_consistent(long_run):
    _, orders, _, products = long_run
    cents = np.floor(orders["list_price"] * (1 - orders["discount_pct"]) * 100 + 0.5 + 1e-6) / 100
    assert np.allclose(orders["net_price"], cents, atol=0.011)
    assert orders["discount_pct"].between(0, 0.999).all()
    prices = orders.groupby("sku")["list_price"].nunique()
    changed = prices[prices > 1].index
    assert len(changed) > 0
    latest = orders.sort_values("order_date").groupby("sku")["list_price"].last()
    current = products.set_index("sku")["list_price"]
    assert (latest[changed] == current[changed]).all()


def test_no_orders_after_discontinue_or_before_launch(long_run):
    _, orders, _, products = long_run
    p = products.assign(
        launch=pd.to_datetime(products["launch_date"]),
        disc=pd.to_datetime(products["discontinue_date"].replace("", None)),
    )
    m = orders.merge(p[["sku", "launch", "disc"]], on="sku")
    assert (m["order_date"] >= m["launch"]).all()
    assert not (m["order_date"] > m["disc"]).any()
    assert p["disc"].notna().any() and (p["launch"] > pd.Timestamp(LONG.start_date)).any()


def test_double_11_and_618_peak_online(long_run):
    _, orders, _, _ = long_run
    online = orders[(orders["channel"] == "online") & (orders["order_date"] < "2026-01-01")]
    monthly = online.groupby(online["order_date"].dt.to_period("M"))["ordered_qty"].sum()
    assert monthly[pd.Period("2024-11")] > 1.25 * monthly.mean()
    assert monthly[pd.Period("2025-11")] > 1.25 * monthly.mean()
    assert monthly[pd.Period("2025-06")] > monthly.mean()


def test_weekly_pattern_and_spring_festival_dip(long_run):
    _, orders, _, _ = long_run
    b2b = orders[orders["channel"] != "online"]
    by_weekday = b2b.groupby(b2b["order_date"].dt.weekday)["ordered_qty"].sum()
    assert by_weekday[0] > 2 * by_weekday[6]
    daily = orders.groupby("order_date")["ordered_qty"].sum()
    sf = pd.Timestamp(SPRING_FESTIVAL[2025])
    assert daily[sf : sf + pd.Timedelta(days=7)].mean() < 0.5 * daily.mean()


def test_sales_team_forecast_is_biased_high(long_run):
    root, orders, _, _ = long_run
    actual = orders.groupby(["region", "product_line", orders["order_date"].dt.to_period("M")])[
        "ordered_qty"
    ].sum()
    closed = pd.Period("2025-12")
    fc, act = 0.0, 0.0
    for path in sorted(root.glob("sales_input/forecast_*.xlsx")):
        region = path.stem.split("_")[1]
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("forecast").to_python()
        for line, *values in rows[1:]:
            for month, value in zip(rows[0][1:], values, strict=True):
                if pd.Period(month) <= closed:
                    fc += value
                    act += actual.get((region, line, pd.Period(month)), 0)
    assert act > 0
    assert 1.05 < fc / act < 1.4


def test_returns_invoices_cash_and_ledger_add_up(long_run):
    root, _, customers, products = long_run
    ship = _load(root, "sales/shipments/*.csv")
    returns = _load(root, "sales/returns/*.csv")
    assert 0.015 < returns["returned_qty"].sum() / ship["shipped_qty"].sum() < 0.05
    inv = _load(root, "sales/invoices/*.csv").merge(customers, on="customer_id")
    terms = (pd.to_datetime(inv["due_date"]) - pd.to_datetime(inv["invoice_date"])).dt.days
    assert (terms == inv["payment_terms_days"]).all()
    cash = _load(root, "sales/cash_receipts/*.csv").merge(
        inv[["invoice_id", "due_date"]], on="invoice_id"
    )
    late = (pd.to_datetime(cash["receipt_date"]) - pd.to_datetime(cash["due_date"])).dt.days > 20
    assert 0.02 < late.mean() < 0.5
    old = inv[pd.to_datetime(inv["invoice_date"]) < "2025-06-01"]
    assert 0 < (~old["invoice_id"].isin(cash["invoice_id"])).sum() < 0.05 * len(old)
    gl = _load(root, "finance/gl/*.csv")
    month = "2025-05"
    revenue = gl[(gl["month"] == f"{month}-01") & (gl["account_code"] == 4001)]["amount"].item()
    in_month = inv[inv["invoice_date"].str.startswith(month)]["invoice_amount"].sum()
    assert revenue == pytest.approx(in_month, abs=0.01)
    cogs = gl[(gl["month"] == f"{month}-01") & (gl["account_code"] == 5001)]["amount"].item()
    s = ship[ship["ship_date"].str.startswith(month)].merge(products, on="sku")
    assert cogs == pytest.approx((s["shipped_qty"] * s["standard_cost"]).sum(), abs=0.05)


def test_production_respects_capacity_which_binds_at_peaks(long_run):
    root, _, _, _ = long_run
    prod = pd.concat(
        [pd.read_parquet(p) for p in sorted(root.glob("inventory/production/*.parquet"))]
    )
    cap = pd.read_csv(root / "capacity/capacity.csv")
    prod["month"] = pd.to_datetime(prod["production_date"]).dt.to_period("M").dt.to_timestamp()
    used = prod.groupby(["month", "production_line"])["produced_qty"].sum().reset_index()
    cap["month"] = pd.to_datetime(cap["month"])
    m = used.merge(cap, on=["month", "production_line"])
    assert (m["produced_qty"] <= m["available_units"]).all()
    assert (m["produced_qty"] >= 0.97 * m["available_units"]).any()
    assert pd.to_datetime(cap["month"]).max() == pd.Timestamp("2027-07-01")
    stock = pd.concat(
        [pd.read_parquet(p) for p in sorted(root.glob("inventory/snapshots/*.parquet"))]
    )
    assert (stock["on_hand_qty"] >= 0).all() and stock["warehouse_id"].nunique() == 4


def test_budget_covers_each_year_with_an_uplift(long_run):
    root, _, _, _ = long_run
    budget = _load(root, "finance/budget/*.csv")
    years = sorted(pd.to_datetime(budget["month"]).dt.year.unique())
    assert years == [2024, 2025, 2026]
    ship = _load(root, "sales/shipments/*.csv")
    shipped_2024 = ship[ship["ship_date"].str.startswith("2024")]["shipped_qty"].sum()
    budget_2025 = budget[budget["month"].str.startswith("2025")]["budget_units"].sum()
    assert budget_2025 == pytest.approx(shipped_2024 * (1 + LONG.budget_uplift), rel=0.02)


def test_fixed_basket_makes_order_lines_grow_with_customers_not_catalogue():
    """The bench's fixed basket: lines per order stay put as the catalogue grows."""
    from demo_company.generator import simulate

    def lines_per_order(n_skus: int, basket: float | None) -> float:
        cfg = DemoConfig(
            start_month="2026-06",
            as_of=date(2026, 9, 1),
            n_skus=n_skus,
            n_customers=3 * n_skus,
            mean_lines_per_order=basket,
        )
        lines = simulate(cfg)["lines"]
        return len(lines) / lines["order"].nunique()

    small, large = lines_per_order(40, 3.0), lines_per_order(400, 3.0)
    assert abs(large - small) < 0.5
    assert lines_per_order(400, None) > 2 * large  # the default basket grows with the catalogue
    with pytest.raises(ValueError, match="mean_lines_per_order"):
        DemoConfig(mean_lines_per_order=0.5)
