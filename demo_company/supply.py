"""Supply side: capacity plan, daily production and stock per SKU x warehouse.

Stock is simulated day by day, vectorised across SKUs and warehouses. Each
warehouse follows an order-up-to policy on a moving average of its demand;
the plant produces what the warehouses ask for, scaled down to the day's
line capacity, and the goods arrive after a short lead time. Orders ship
first-come first-served from what is on hand; what cannot ship is lost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from demo_company.calendar import month_starts, working_day_mask
from demo_company.config import DemoConfig
from demo_company.demand import _day_idx

PLANNED_GROWTH = 0.08
EMA_ALPHA = 1.0 / 28.0


@dataclass
class SupplyResult:
    """Outcome of the stock simulation, all indexed by day offset, SKU and warehouse."""

    shipped_qty: np.ndarray
    """Units shipped per order line (aligned with the order-line frame)."""
    stock_end: np.ndarray
    """On-hand units at the end of each snapshot day, shape (n_snapshots, n_skus, n_wh)."""
    snapshot_days: np.ndarray
    production: pd.DataFrame
    """Columns day, production_line, sku, produced_qty (only positive quantities)."""


def capacity_plan(
    cfg: DemoConfig, products: pd.DataFrame, lines: pd.DataFrame, days: pd.DatetimeIndex
) -> pd.DataFrame:
    """Monthly capacity per production line from start_month to as_of + 18 months.

    Each year's output rate (units per hour) is planned from the previous
    year's mean monthly demand of the line's SKUs, plus planned growth and a
    headroom; hours follow the plant's working days (closed over Spring
    Festival), so available units dip in February.
    """
    horizon = pd.Timestamp(cfg.as_of) + pd.DateOffset(months=18)
    months = month_starts(cfg.start_date, horizon.date())
    all_days = pd.date_range(months[0], months[-1] + pd.offsets.MonthEnd(0), freq="D")
    work = (
        pd.Series(working_day_mask(all_days), index=all_days).groupby(all_days.to_period("M")).sum()
    )
    line_of_sku = products["production_line"].to_numpy()
    demand = (
        pd.DataFrame(
            {
                "line": line_of_sku[lines["sku"].to_numpy()],
                "month": days[lines["day"].to_numpy()].to_period("M"),
                "qty": lines["qty"].to_numpy(),
            }
        )
        .groupby(["line", "month"])["qty"]
        .sum()
    )
    complete = pd.period_range(days[0], pd.Timestamp(cfg.as_of), freq="M")[:-1]
    rows = []
    for pl in cfg.production_lines:
        line_demand = (
            demand.loc[pl.code]
            if pl.code in demand.index.get_level_values(0)
            else pd.Series(dtype=float)
        ).reindex(complete, fill_value=0)
        level: dict[int, float] = {}
        for y in sorted({m.year for m in months}):
            window = line_demand[complete.year == y - 1]  # reindexed on complete
            if len(window) >= 6:
                level[y] = float(window.mean()) * (1 + PLANNED_GROWTH)
            elif level:
                level[y] = level[max(level)] * (1 + PLANNED_GROWTH)
            else:
                level[y] = float(line_demand.iloc[:12].mean()) if len(line_demand) else 0.0
        level = {y: v * cfg.capacity_headroom for y, v in level.items()}
        mean_hours = float(work.mean()) * cfg.hours_per_working_day
        for m in months:
            # pandas-stubs: Series.__getitem__ omits Period labels (work is indexed by month)
            days_worked = int(work[m.to_period("M")])  # type: ignore[call-overload]
            hours = round(days_worked * cfg.hours_per_working_day, 1)
            rate = round(max(level[m.year], 1.0) / mean_hours, 1)
            rows.append((m, pl.code, hours, rate, int(round(hours * rate))))
    return pd.DataFrame(
        rows,
        columns=[
            "month",
            "production_line",
            "available_hours",
            "units_per_hour",
            "available_units",
        ],
    )


def simulate_supply(
    cfg: DemoConfig,
    products: pd.DataFrame,
    lines: pd.DataFrame,
    days: pd.DatetimeIndex,
    capacity: pd.DataFrame,
) -> SupplyResult:
    """Run the daily stock simulation and allocate stock to order lines."""
    n_d, n_s, n_w = len(days), len(products), len(cfg.regions)
    lead = max(1, cfg.production_lead_days)
    in_sim = lines["ship_day"].to_numpy() < n_d
    ship_day = lines["ship_day"].to_numpy()[in_sim]
    sku, wh, qty = (lines[c].to_numpy()[in_sim] for c in ("sku", "region", "qty"))
    flat = (ship_day * n_s + sku) * n_w + wh
    dem = np.bincount(flat, weights=qty, minlength=n_d * n_s * n_w).reshape(n_d, n_s, n_w)

    launch = np.clip(_day_idx(products["launch_date"], days[0]), -(10**6), 10**7)
    disc = _day_idx(products["discontinue_date"], days[0])
    cum = np.concatenate([np.zeros((1, n_s, n_w)), np.cumsum(dem, axis=0)])
    first = np.clip(launch, 0, n_d - 1)
    last = np.minimum(first + 28, n_d)
    init = (cum[last, np.arange(n_s)] - cum[first, np.arange(n_s)]) / 28.0
    init = np.maximum(init, 0.05)
    start_build = launch - 10

    plant_codes = [pl.code for pl in cfg.production_lines]
    line_idx = np.array([plant_codes.index(p) for p in products["production_line"]])
    cap_month = capacity.set_index(["production_line", "month"])["available_units"]
    work = working_day_mask(days)
    month_key = days.to_period("M")
    work_in_month = pd.Series(work, index=days).groupby(month_key).transform("sum").to_numpy()
    daily_cap = np.zeros((n_d, len(plant_codes)))
    for j, code in enumerate(plant_codes):
        units = cap_month.loc[code].reindex(days.to_period("M").to_timestamp()).to_numpy()
        daily_cap[:, j] = np.where(work, units / np.maximum(work_in_month, 1), 0.0)

    month_end = days.is_month_end
    current_month_start = pd.Timestamp(cfg.as_of).to_period("M").to_timestamp()
    snap_mask = (month_end & (days < current_month_start)) | (days >= current_month_start)
    snapshot_days = np.flatnonzero(snap_mask)
    stock_end = np.zeros((len(snapshot_days), n_s, n_w), dtype=np.int64)
    snap_pos = np.full(n_d, -1)
    snap_pos[snapshot_days] = np.arange(len(snapshot_days))

    alive0 = (launch <= 0) & (disc >= 0)
    ema = np.where(alive0[:, None], init, 0.0)
    stock = np.floor(ema * cfg.stock_cover_days).astype(np.int64)
    pipeline = np.zeros((lead, n_s, n_w), dtype=np.int64)
    avail = np.zeros((n_d, n_s, n_w), dtype=np.int64)
    produced = np.zeros((n_d, n_s), dtype=np.int64)
    for d in range(n_d):
        slot = d % lead
        stock += pipeline[slot]
        pipeline[slot] = 0
        avail[d] = stock
        ship = np.minimum(stock, dem[d].astype(np.int64))
        stock -= ship
        starting = start_build == d
        if starting.any():
            ema[starting] = init[starting]
        ema += EMA_ALPHA * (dem[d] - ema)
        replenish = (d >= start_build) & (d <= disc - 14)
        target = ema * cfg.stock_cover_days * replenish[:, None]
        need = np.maximum(target - stock - pipeline.sum(axis=0), 0.0)
        need_line = np.bincount(line_idx, weights=need.sum(axis=1), minlength=len(plant_codes))
        scale = np.minimum(1.0, daily_cap[d] / np.maximum(need_line, 1e-9))
        make = np.floor(need * scale[line_idx][:, None]).astype(np.int64)
        pipeline[slot] = make
        produced[d] = make.sum(axis=1)
        if snap_pos[d] >= 0:
            stock_end[snap_pos[d]] = stock

    shipped = np.zeros(len(lines), dtype=np.int64)
    sim = pd.DataFrame(
        {
            "key": flat,
            "order": lines["order"].to_numpy()[in_sim],
            "line": lines["line_number"].to_numpy()[in_sim],
            "qty": qty,
            "pos": np.flatnonzero(in_sim),
        }
    )
    sim = sim.sort_values(["key", "order", "line"], kind="stable")
    before = sim.groupby("key")["qty"].cumsum().to_numpy() - sim["qty"].to_numpy()
    room = avail.reshape(-1)[sim["key"].to_numpy()]
    shipped[sim["pos"].to_numpy()] = np.clip(room - before, 0, sim["qty"].to_numpy())

    d_idx, s_idx = np.nonzero(produced)
    production = pd.DataFrame(
        {
            "day": d_idx,
            "production_line": products["production_line"].to_numpy()[s_idx],
            "sku": products["sku"].to_numpy()[s_idx],
            "produced_qty": produced[d_idx, s_idx],
        }
    )
    return SupplyResult(
        shipped_qty=shipped, stock_end=stock_end, snapshot_days=snapshot_days, production=production
    )
