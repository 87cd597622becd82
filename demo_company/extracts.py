"""Shape the simulated tables into the landing extracts the contracts declare."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd

from demo_company.config import DemoConfig
from demo_company.writer import (
    LazyOutput,
    Output,
    contract_path,
    forecast_workbook_bytes,
    rows_by_period,
    split_by_period,
)

MONEY = "cents"


def _ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    return np.array([f"{prefix}{n:0{width}d}" for n in np.asarray(numbers).tolist()], dtype=object)


def _dates(start: pd.Timestamp, offsets: np.ndarray | pd.Series) -> pd.Series:
    return pd.Series(start + pd.to_timedelta(np.asarray(offsets), unit="D"))


def workbook_path(region: str, period: pd.Period) -> str:
    """Landing path of a region's forecast workbook for a planning month."""
    return contract_path("sales_team_forecast", f"{region}_{period}")


def workbook_bytes(wide: pd.DataFrame) -> bytes:
    return forecast_workbook_bytes(wide)


def _by_period(
    source: str, frame: pd.DataFrame, date_col: str, cfg: DemoConfig, formats: dict[str, str]
) -> list[Output]:
    chunks = split_by_period(frame, date_col, pd.Timestamp(cfg.start_date), pd.Timestamp(cfg.as_of))
    return [
        Output(contract_path(source, label), source, chunk.reset_index(drop=True), formats)
        for label, chunk in chunks
    ]


def _masters(cfg: DemoConfig, sim: dict) -> list[Output]:
    products, customers, bom, promos = sim["products"], sim["customers"], sim["bom"], sim["promos"]
    lead = bom.groupby("sku")["supplier_lead_time_days"].max()
    prod = products.assign(
        list_price=products["list_price_cents"],
        standard_cost=products["standard_cost_cents"],
        supplier_lead_time_days=lead.reindex(products["sku"]).fillna(0).astype(int).to_numpy(),
    )
    promo = promos.assign(
        discount_depth=np.round(promos["discount_depth"] * 10000).astype(np.int64)
    )
    return [
        Output(
            contract_path("products"),
            "products",
            prod,
            {
                "list_price": MONEY,
                "standard_cost": MONEY,
                "launch_date": "date",
                "discontinue_date": "date",
            },
        ),
        Output(contract_path("customers"), "customers", customers),
        Output(contract_path("bom"), "bom", bom, {"component_cost": "f4"}),
        Output(
            contract_path("promotions"),
            "promotions",
            promo,
            {"start_date": "date", "end_date": "date", "discount_depth": "bp"},
        ),
        Output(
            contract_path("capacity"),
            "capacity",
            sim["capacity"],
            {"month": "date", "available_hours": "f1", "units_per_hour": "f1"},
        ),
    ]


def _lazy_by_period(
    source: str,
    table: pd.DataFrame,
    day_col: str,
    build: Callable[[pd.DataFrame, np.ndarray], pd.DataFrame],
    start: pd.Timestamp,
    cfg: DemoConfig,
    formats: dict[str, str],
) -> list[Output]:
    """One file per period of ``table``'s rows by ``day_col`` (day offsets from ``start``),
    each built by ``build(rows, positions)`` when written: the same files as building the
    whole frame and splitting it, without holding every file's rows at once."""
    periods = rows_by_period(
        table[day_col].to_numpy(), start, pd.Timestamp(cfg.start_date), pd.Timestamp(cfg.as_of)
    )

    def rows(positions: np.ndarray) -> pd.DataFrame:
        return build(table.iloc[positions].reset_index(drop=True), positions)

    return [
        LazyOutput(contract_path(source, label), source, rows, positions, formats)
        for label, positions in periods
    ]


def _sales(cfg: DemoConfig, sim: dict) -> Iterator[list[Output]]:
    """Order lines, shipments, returns, invoices and cash receipts: one group per source."""
    start = sim["days"][0]
    products, customers = sim["products"], sim["customers"]
    sku_code, cust_code = products["sku"].to_numpy(), customers["customer_id"].to_numpy()

    def orders(lines: pd.DataFrame, _: np.ndarray) -> pd.DataFrame:
        out = pd.DataFrame(
            {
                "order_id": _ids("SO", lines["order"].to_numpy() + 1, 8),
                "line_number": lines["line_number"].to_numpy(),
                "order_date": _dates(start, lines["day"]),
                "requested_date": _dates(start, lines["req_day"]),
                "customer_id": cust_code[lines["cust"].to_numpy()],
                "sku": sku_code[lines["sku"].to_numpy()],
                "ordered_qty": lines["qty"].to_numpy(),
                "list_price": lines["list_cents"].to_numpy(),
                "discount_pct": lines["disc_bp"].to_numpy(),
                "net_price": lines["net_cents"].to_numpy(),
            }
        )
        if (
            cfg.ship_to_other_region_share > 0
        ):  # optional ship-to column, only when it says something
            home = customers["region_idx"].to_numpy()[lines["cust"].to_numpy()]
            ship_to = np.asarray(cfg.regions, dtype=object)[lines["region"].to_numpy()]
            out["region"] = np.where(lines["region"].to_numpy() != home, ship_to, "")
        return out

    yield _lazy_by_period(
        "order_lines",
        sim["lines"],
        "day",
        orders,
        start,
        cfg,
        {
            "order_date": "date",
            "requested_date": "date",
            "list_price": MONEY,
            "discount_pct": "bp",
            "net_price": MONEY,
        },
    )

    warehouses = np.array(cfg.warehouses)

    def shipments(ship: pd.DataFrame, positions: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "shipment_id": _ids("SH", positions + 1, 9),
                "order_id": _ids("SO", ship["order"].to_numpy() + 1, 8),
                "line_number": ship["line_number"].to_numpy(),
                "ship_date": _dates(start, ship["ship_day"]),
                "sku": sku_code[ship["sku"].to_numpy()],
                "warehouse_id": warehouses[ship["region"].to_numpy()],
                "shipped_qty": ship["shipped"].to_numpy(),
            }
        )

    yield _lazy_by_period(
        "shipments", sim["ship"], "ship_day", shipments, start, cfg, {"ship_date": "date"}
    )

    def returns(ret: pd.DataFrame, positions: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "return_id": _ids("RT", positions + 1, 8),
                "order_id": _ids("SO", ret["order"].to_numpy() + 1, 8),
                "line_number": ret["line_number"].to_numpy(),
                "return_date": _dates(start, ret["return_day"]),
                "customer_id": cust_code[ret["cust"].to_numpy()],
                "sku": sku_code[ret["sku"].to_numpy()],
                "returned_qty": ret["returned_qty"].to_numpy(),
                "credit_amount": ret["credit_cents"].to_numpy(),
                "reason": ret["reason"].to_numpy(),
            }
        )

    yield _lazy_by_period(
        "returns",
        sim["returns"],
        "return_day",
        returns,
        start,
        cfg,
        {"return_date": "date", "credit_amount": MONEY},
    )

    def invoices(inv: pd.DataFrame, _: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "invoice_id": _ids("INV", inv["order"].to_numpy() + 1, 8),
                "order_id": _ids("SO", inv["order"].to_numpy() + 1, 8),
                "customer_id": cust_code[inv["cust"].to_numpy()],
                "invoice_date": _dates(start, inv["invoice_day"]),
                "due_date": _dates(start, inv["due_day"]),
                "invoice_amount": inv["amount_cents"].to_numpy(),
            }
        )

    yield _lazy_by_period(
        "invoices",
        sim["invoices"].sort_values(["invoice_day", "order"], kind="stable"),
        "invoice_day",
        invoices,
        start,
        cfg,
        {"invoice_date": "date", "due_date": "date", "invoice_amount": MONEY},
    )

    def receipts(rec: pd.DataFrame, positions: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "receipt_id": _ids("RC", positions + 1, 8),
                "invoice_id": _ids("INV", rec["order"].to_numpy() + 1, 8),
                "customer_id": cust_code[rec["cust"].to_numpy()],
                "receipt_date": _dates(start, rec["receipt_day"]),
                "amount": rec["amount_cents"].to_numpy(),
            }
        )

    yield _lazy_by_period(
        "cash_receipts",
        sim["receipts"],
        "receipt_day",
        receipts,
        start,
        cfg,
        {"receipt_date": "date", "amount": MONEY},
    )


def _inventory(cfg: DemoConfig, sim: dict) -> list[Output]:
    days, products, supply = sim["days"], sim["products"], sim["supply"]
    n_snap, n_s, n_w = supply.stock_end.shape
    snap, s, w = (
        a.ravel()
        for a in np.meshgrid(np.arange(n_snap), np.arange(n_s), np.arange(n_w), indexing="ij")
    )
    day = supply.snapshot_days[snap]
    on_hand = supply.stock_end.ravel()
    launch = pd.to_datetime(products["launch_date"]).to_numpy()[s]
    disc = pd.to_datetime(products["discontinue_date"]).to_numpy()[s]
    snap_date = days[day].to_numpy()
    listed = (launch <= snap_date) & ((on_hand > 0) | ~(disc < snap_date))
    snapshots = pd.DataFrame(
        {
            "snapshot_date": snap_date[listed],
            "sku": products["sku"].to_numpy()[s[listed]],
            "warehouse_id": np.array(cfg.warehouses)[w[listed]],
            "on_hand_qty": on_hand[listed],
        }
    )
    out = _by_period("inventory_snapshots", snapshots, "snapshot_date", cfg, {})
    prod = supply.production.sort_values(["day", "production_line", "sku"], kind="stable")
    production = pd.DataFrame(
        {
            "production_date": days[prod["day"].to_numpy()],
            "production_line": prod["production_line"].to_numpy(),
            "sku": prod["sku"].to_numpy(),
            "produced_qty": prod["produced_qty"].to_numpy(),
        }
    )
    out += _by_period("production_output", production, "production_date", cfg, {})
    return out


def _finance(sim: dict) -> list[Output]:
    gl = sim["gl"].rename(columns={"amount_cents": "amount"})
    out = [
        Output(
            contract_path("gl_actuals", pd.Timestamp(m).strftime("%Y-%m")),
            "gl_actuals",
            g.reset_index(drop=True),
            {"month": "date", "amount": MONEY},
        )
        for m, g in gl.groupby("month", sort=True)
    ]
    budget = sim["budget"]
    if len(budget):
        budget = budget.rename(
            columns={
                "revenue_cents": "budget_revenue",
                "cogs_cents": "budget_cogs",
                "opex_cents": "budget_opex",
            }
        )
        out += [
            Output(
                contract_path("budget", str(y)),
                "budget",
                g.reset_index(drop=True),
                {
                    "month": "date",
                    "budget_revenue": MONEY,
                    "budget_cogs": MONEY,
                    "budget_opex": MONEY,
                },
            )
            for y, g in budget.groupby("year", sort=True)
        ]
    return out


def output_groups(cfg: DemoConfig, sim: dict) -> Iterator[list[Output]]:
    """The landing files of the simulated company, a few sources at a time, in a fixed order.

    Each group's frames are built only when the group is asked for, so a writer that lets
    go of a group before taking the next holds one source's rows at a time, not the whole
    history's of every source.
    """
    yield _masters(cfg, sim)
    yield from _sales(cfg, sim)
    yield _inventory(cfg, sim)
    yield _finance(sim)


def build_outputs(cfg: DemoConfig, sim: dict) -> list[Output]:
    """Every CSV and Parquet landing file of the simulated company, in a fixed order."""
    return [out for group in output_groups(cfg, sim) for out in group]
