"""Money side of the demo company: returns, invoices, cash receipts, GL actuals, budget.

Every amount is kept in integer cents so that the ledger adds up exactly to
the transactions it summarises.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo_company.config import DemoConfig
from demo_company.masters import rng_for

RETURN_REASONS = np.array(
    ["damaged in transit", "quality defect", "wrong item shipped", "customer changed mind", ""]
)
FREIGHT_CENTS_PER_UNIT = {"EAST": 210, "SOUTH": 240, "NORTH": 280, "WEST": 360}
ACCOUNTS = (
    ("4001", "Product sales", "revenue"),
    ("4002", "Sales returns", "revenue"),
    ("5001", "Cost of goods sold", "cogs"),
    ("6101", "Outbound freight", "freight"),
    ("6201", "Salaries and wages", "opex"),
    ("6301", "Marketing and promotions", "opex"),
    ("6401", "General and administrative", "opex"),
)


def simulate_returns(cfg: DemoConfig, ship: pd.DataFrame, n_days: int) -> pd.DataFrame:
    """Returns of a few percent of shipped units, credited at the line's net price."""
    rng = rng_for(cfg.seed, "returns")
    pick = rng.random(len(ship)) < cfg.return_line_share
    share = rng.uniform(0.2, 1.0, len(ship))
    delay = rng.integers(3, 46, len(ship))
    reason = RETURN_REASONS[rng.integers(0, len(RETURN_REASONS), len(ship))]
    picked = ship[pick]  # the random draws cover every line; only the picked rows are copied
    ret = picked.assign(
        returned_qty=np.maximum(1, np.floor(picked["shipped"] * share[pick])).astype(np.int64),
        return_day=picked["ship_day"] + delay[pick],
        reason=reason[pick],
    )
    ret = ret[ret["return_day"] < n_days].copy()
    ret["credit_cents"] = ret["returned_qty"] * ret["net_cents"]
    return ret.sort_values(["return_day", "order", "line_number"], kind="stable").reset_index(
        drop=True
    )


def build_invoices(ship: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    """One invoice per shipped order, dated at shipment, due after the customer's terms."""
    ship = ship.assign(amount_cents=ship["shipped"] * ship["net_cents"])
    inv = (
        ship.groupby("order", sort=True)
        .agg(
            cust=("cust", "first"),
            invoice_day=("ship_day", "first"),
            amount_cents=("amount_cents", "sum"),
        )
        .reset_index()
    )
    inv["due_day"] = inv["invoice_day"] + customers["payment_terms_days"].to_numpy()[inv["cust"]]
    return inv


def simulate_receipts(
    cfg: DemoConfig, invoices: pd.DataFrame, customers: pd.DataFrame, n_days: int
) -> pd.DataFrame:
    """Cash received per invoice: near the due date, late for late payers, sometimes never."""
    rng = rng_for(cfg.seed, "receipts")
    late = customers["is_late_payer"].to_numpy()[invoices["cust"]]
    on_time = invoices["due_day"] + rng.integers(-5, 6, len(invoices))
    delayed = invoices["due_day"] + rng.integers(20, 101, len(invoices))
    pay_day = np.maximum(np.where(late, delayed, on_time), invoices["invoice_day"])
    never = late & (rng.random(len(invoices)) < 0.04)
    rec = invoices.assign(receipt_day=pay_day)[~never & (pay_day < n_days)]
    return rec.sort_values(["receipt_day", "order"], kind="stable").reset_index(drop=True)


def monthly_ledger(
    cfg: DemoConfig,
    days: pd.DatetimeIndex,
    ship: pd.DataFrame,
    returns: pd.DataFrame,
    invoices: pd.DataFrame,
    products: pd.DataFrame,
    customers: pd.DataFrame,
) -> pd.DataFrame:
    """GL actuals per closed month and account, in cents, consistent with the transactions."""
    rng = rng_for(cfg.seed, "ledger")
    month = days.to_period("M")
    closed = pd.period_range(days[0], pd.Timestamp(cfg.as_of), freq="M")[:-1]
    if len(closed) == 0:
        return pd.DataFrame(
            columns=["month", "account_code", "account_name", "account_type", "amount_cents"]
        )

    def by_month(day_idx: pd.Series, cents: pd.Series) -> pd.Series:
        return (
            pd.Series(cents.to_numpy(), index=month[day_idx.to_numpy()])
            .groupby(level=0)
            .sum()
            .reindex(closed, fill_value=0)
            .astype(np.int64)
        )

    revenue = by_month(invoices["invoice_day"], invoices["amount_cents"])
    credits = by_month(returns["return_day"], returns["credit_cents"])
    cost = products["standard_cost_cents"].to_numpy()[ship["sku"].to_numpy()]
    cogs = by_month(ship["ship_day"], ship["shipped"] * cost)
    rate = np.array([FREIGHT_CENTS_PER_UNIT.get(r, 300) for r in cfg.regions])[
        ship["region"].to_numpy()
    ]
    freight = by_month(ship["ship_day"], ship["shipped"] * rate)
    freight = (freight * rng.normal(1.0, 0.03, len(closed))).round().astype(np.int64)
    level = float(revenue.iloc[: min(3, len(revenue))].mean())
    years = (closed.to_timestamp() - closed[0].to_timestamp()).days.to_numpy() / 365.25
    salaries = np.round(0.08 * level * 1.06**years * rng.normal(1.0, 0.02, len(closed)))
    peak = np.isin(closed.month, [6, 11]) * 0.8 + 1.0
    marketing = np.round(0.025 * revenue.to_numpy() * peak * rng.normal(1.0, 0.05, len(closed)))
    admin = np.round(0.03 * level * 1.03**years * rng.normal(1.0, 0.03, len(closed)))
    amounts = [
        revenue.to_numpy(),
        -credits.to_numpy(),
        cogs.to_numpy(),
        freight.to_numpy(),
        salaries,
        marketing,
        admin,
    ]
    frames = [
        pd.DataFrame(
            {
                "month": closed.to_timestamp(),
                "account_code": code,
                "account_name": name,
                "account_type": kind,
                "amount_cents": np.asarray(a, dtype=np.int64),
            }
        )
        for (code, name, kind), a in zip(ACCOUNTS, amounts, strict=True)
    ]
    return (
        pd.concat(frames)
        .sort_values(["month", "account_code"], kind="stable")
        .reset_index(drop=True)
    )


def annual_budget(
    cfg: DemoConfig,
    days: pd.DatetimeIndex,
    ship: pd.DataFrame,
    products: pd.DataFrame,
    gl: pd.DataFrame,
) -> pd.DataFrame:
    """Budget per month x product line x region for every budget year.

    Each year's budget is the prior year's run-rate (the 12 months before it,
    or the latest 12 closed months when set in Q4 for next year) raised by the
    ambition uplift; the first year uses its own early months, deflated.
    """
    as_of = pd.Timestamp(cfg.as_of)
    closed = pd.period_range(days[0], as_of, freq="M")[:-1]
    if len(closed) == 0:
        return pd.DataFrame()
    years = list(range(days[0].year, as_of.year + 1 + (1 if as_of.month >= 10 else 0)))
    pl = products["product_line"].to_numpy()[ship["sku"].to_numpy()]
    actual = pd.DataFrame(
        {
            "period": days.to_period("M")[ship["ship_day"].to_numpy()],
            "product_line": pl,
            "region": np.array(cfg.regions)[ship["region"].to_numpy()],
            "units": ship["shipped"].to_numpy(),
            "revenue": ship["shipped"].to_numpy() * ship["net_cents"].to_numpy(),
            "cogs": ship["shipped"].to_numpy()
            * products["standard_cost_cents"].to_numpy()[ship["sku"].to_numpy()],
        }
    )
    actual = actual[actual["period"].isin(closed)]
    grid = pd.MultiIndex.from_product(
        [closed, sorted(set(products["product_line"])), cfg.regions],
        names=["period", "product_line", "region"],
    )
    actual = actual.groupby(["period", "product_line", "region"]).sum().reindex(grid, fill_value=0)
    opex = gl[gl["account_type"] == "opex"].groupby("month")["amount_cents"].sum()
    opex.index = pd.DatetimeIndex(opex.index).to_period("M")
    frames = []
    for y in years:
        end = min(pd.Period(f"{y - 1}-12", "M"), closed[-1])
        window = pd.period_range(end - 11, end, freq="M")
        deflate = 1.0
        if window[0] < closed[0]:
            window = closed[:12]
            deflate = 1.0 / 1.08
        base = actual[actual.index.get_level_values("period").isin(window)].reset_index()
        base["moy"] = base["period"].dt.month
        base = base.groupby(["moy", "product_line", "region"])[["units", "revenue", "cogs"]].mean()
        full = pd.MultiIndex.from_product(
            [range(1, 13), grid.levels[1], grid.levels[2]], names=["moy", "product_line", "region"]
        )
        base = base.reindex(full)
        base = base.fillna(base.groupby(level=["product_line", "region"]).transform("mean")).fillna(
            0
        )
        up = (1 + cfg.budget_uplift) * deflate
        out = base.reset_index()
        out["month"] = pd.to_datetime({"year": y, "month": out["moy"], "day": 1})
        out["budget_units"] = np.round(out["units"] * up).astype(np.int64)
        out["revenue_cents"] = np.round(out["revenue"] * up * 1.02).astype(np.int64)
        out["cogs_cents"] = np.round(out["cogs"] * up).astype(np.int64)
        opex_year = float(opex[opex.index.isin(window)].sum()) * 1.05 * deflate
        share = out["revenue_cents"] / max(out["revenue_cents"].sum(), 1)
        out["opex_cents"] = np.round(share * opex_year).astype(np.int64)
        out["year"] = y
        frames.append(
            out[
                [
                    "year",
                    "month",
                    "product_line",
                    "region",
                    "budget_units",
                    "revenue_cents",
                    "cogs_cents",
                    "opex_cents",
                ]
            ]
        )
    budget = pd.concat(frames)
    return budget.sort_values(["month", "product_line", "region"], kind="stable").reset_index(
        drop=True
    )
