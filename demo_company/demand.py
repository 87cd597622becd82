"""Customer demand: order lines drawn from a seasonal, promoted, life-cycled SKU mix.

Orders arrive per customer and day as Poisson counts whose rate follows the
company trend, yearly season, weekday pattern and Chinese holidays of the
customer's channel. Each order's lines pick SKUs in proportion to a weight
that carries the SKU's own trend, its product line's season, its life cycle
(launch ramp, discontinuation), price changes and the promotion calendar of
the customer's region. Everything is vectorised over orders and lines.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo_company.calendar import channel_day_factors
from demo_company.config import DemoConfig
from demo_company.masters import rng_for

TIER_DISCOUNT_BP = np.array([1200, 600, 200])
CHANNEL_DISCOUNT_BP = {"distributor": 500, "retail": 200, "online": 0}
POST_PROMO_DAYS = 21


def _day_idx(values: pd.Series | np.ndarray, start: pd.Timestamp) -> np.ndarray:
    """Day offsets from ``start``; missing dates become a very large offset."""
    ts = pd.to_datetime(pd.Series(values))
    out = (ts - start).dt.days
    return out.fillna(10**7).to_numpy(dtype=np.int64)


def promo_arrays(
    cfg: DemoConfig, promos: pd.DataFrame, products: pd.DataFrame, days: pd.DatetimeIndex
) -> tuple[np.ndarray, np.ndarray]:
    """Active promotion depth and post-promotion flag per region, day and SKU."""
    n_r, n_d, n_s = len(cfg.regions), len(days), len(products)
    depth = np.zeros((n_r, n_d, n_s), dtype=np.float32)
    post = np.zeros((n_r, n_d, n_s), dtype=bool)
    start = days[0]
    sku_pos = {s: i for i, s in enumerate(products["sku"])}
    line_skus = {
        pl: np.flatnonzero(products["product_line"].values == pl)
        for pl in products["product_line"].unique()
    }
    for p in promos.to_dict("records"):
        skus = (
            np.array([sku_pos[p["sku"]]])
            if isinstance(p["sku"], str)
            else line_skus[p["product_line"]]
        )
        regions = range(n_r) if p["region"] == "ALL" else [cfg.regions.index(p["region"])]
        d0, d1 = (p["start_date"] - start).days, (p["end_date"] - start).days + 1
        a, b = max(d0, 0), min(d1, n_d)
        pa, pb = max(d1, 0), min(d1 + POST_PROMO_DAYS, n_d)
        for r in regions:
            depth_r, post_r = depth[r], post[r]
            if a < b:
                depth_r[a:b, skus] = np.maximum(depth_r[a:b, skus], p["discount_depth"])
            if pa < pb:
                post_r[pa:pb, skus] = True
    post &= depth == 0
    return depth, post


def sku_weights(
    cfg: DemoConfig,
    products: pd.DataFrame,
    days: pd.DatetimeIndex,
    depth: np.ndarray,
    post: np.ndarray,
) -> np.ndarray:
    """Relative attractiveness of each SKU per region and day (0 when not orderable)."""
    rng = rng_for(cfg.seed, "seasonality")
    start = days[0]
    d = np.arange(len(days))[:, None]
    launch = _day_idx(products["launch_date"], start)[None, :]
    disc = _day_idx(products["discontinue_date"], start)[None, :]
    alive = (d >= launch) & (d <= disc)
    ramp = np.clip((d - launch + 20) / 90.0, 0.05, 1.0)
    years = d / 365.25
    trend = (1.0 + products["growth"].to_numpy())[None, :] ** years
    amp = rng.uniform(0.0, 0.30, cfg.n_product_lines)
    peak = rng.integers(1, 13, cfg.n_product_lines)
    pl = products["pl_idx"].to_numpy()
    month = days.month.values[:, None]
    season = 1.0 + amp[pl][None, :] * np.cos(2 * np.pi * (month - peak[pl][None, :]) / 12)
    change = _day_idx(products["price_change_date"], start)[None, :]
    pct = (products["list_price_cents"] / products["base_price_cents"] - 1).to_numpy()[None, :]
    price = np.where(d >= change, 1.0 - 1.5 * pct, 1.0)
    base = products["popularity"].to_numpy()[None, :] * alive * ramp * trend * season * price
    weights: np.ndarray = base[None, :, :] * (1.0 + 3.0 * depth) * np.where(post, 0.65, 1.0)
    return weights


def _draw_skus(
    weights: np.ndarray, region: np.ndarray, day: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Categorical SKU draw per line from its (region, day) weight row, vectorised."""
    sku = np.full(len(day), -1, dtype=np.int64)
    n_s = weights.shape[2]
    for r in range(weights.shape[0]):
        sel = np.flatnonzero(region == r)
        if sel.size == 0:
            continue
        cum = np.cumsum(weights[r], axis=1, dtype=np.float64)
        total = cum[:, -1:].copy()
        total[total == 0] = 1.0
        cum = cum / total + np.arange(cum.shape[0])[:, None]
        pos = np.searchsorted(cum.ravel(), day[sel] + rng.random(sel.size), side="right")
        sku[sel] = np.minimum(pos - day[sel] * n_s, n_s - 1)
    return sku


def ship_to_regions(cfg: DemoConfig, home_region: np.ndarray, o_cust: np.ndarray) -> np.ndarray:
    """Ship-to region per order: the customer's own, or (a share of orders) another one.

    The other regions are drawn from their own random stream, so a company without
    such orders (the default demo) draws exactly what it drew before.
    """
    region: np.ndarray = home_region[o_cust]
    n_r = len(cfg.regions)
    if cfg.ship_to_other_region_share <= 0 or n_r < 2:
        return region
    rng = rng_for(cfg.seed, "ship_to")
    away = rng.random(len(o_cust)) < cfg.ship_to_other_region_share
    shift = rng.integers(1, n_r, len(o_cust))
    shipped: np.ndarray = np.where(away, (region + shift) % n_r, region)
    return shipped


def simulate_orders(
    cfg: DemoConfig,
    products: pd.DataFrame,
    customers: pd.DataFrame,
    promos: pd.DataFrame,
    days: pd.DatetimeIndex,
) -> pd.DataFrame:
    """Order lines booked on each day: the unconstrained demand of the company.

    Returns one row per order line with integer indexes (day, customer, sku,
    region), ordered quantity, prices in cents, discount in basis points and
    the requested and planned ship day offsets.
    """
    rng = rng_for(cfg.seed, "orders")
    n_d = len(days)
    depth, post = promo_arrays(cfg, promos, products, days)
    weights = sku_weights(cfg, products, days, depth, post)

    chan = channel_day_factors(days, cfg.channels)
    growth = 1.08 ** (np.arange(n_d) / 365.25)
    lam = (
        chan[:, customers["channel_idx"].to_numpy()]
        * growth[:, None]
        * customers["order_rate"].to_numpy()[None, :]
    )
    counts = rng.poisson(lam)
    o_day, o_cust = np.nonzero(counts)
    reps = counts[o_day, o_cust]
    o_day, o_cust = np.repeat(o_day, reps), np.repeat(o_cust, reps)
    n_o = len(o_day)
    tier = customers["tier_idx"].to_numpy()[o_cust]
    basket = cfg.mean_lines_per_order or min(2.5 + cfg.n_skus / 40.0, 14.0)
    mean_lines = basket * np.array([1.5, 1.0, 0.7])[tier]
    k = np.minimum(1 + rng.poisson(mean_lines - 1), cfg.n_skus)
    extra_bp = np.where(tier == 0, rng.choice([0, 100, 200], n_o), 0)
    handling = rng.choice([0, 1, 1, 1, 2, 3], n_o)
    handling = np.where(
        customers["channel"].to_numpy()[o_cust] == "online", np.minimum(handling, 1), handling
    )
    req_lead = rng.choice([0, 1, 2, 3, 5, 7, 7, 10, 14], n_o)

    order_of_line = np.repeat(np.arange(n_o), k)
    day = o_day[order_of_line]
    cust = o_cust[order_of_line]
    region = ship_to_regions(cfg, customers["region_idx"].to_numpy(), o_cust)[order_of_line]
    sku = _draw_skus(weights, region, day, rng)
    lines = pd.DataFrame({"order": order_of_line, "sku": sku})
    keep = ~lines.duplicated(["order", "sku"]).to_numpy() & (sku >= 0)
    keep &= weights[region, day, np.maximum(sku, 0)] > 0
    order_of_line, day, cust, region, sku = (
        a[keep] for a in (order_of_line, day, cust, region, sku)
    )

    base_price = products["base_price_cents"].to_numpy()
    size = np.clip((18000.0 / base_price) ** 0.5, 0.3, 3.0)[sku]
    long_tail = products["is_long_tail"].to_numpy()[sku]
    promo_depth = depth[region, day, sku].astype(np.float64)
    mean_qty = customers["qty_scale"].to_numpy()[cust] * size * (1 + 2.0 * promo_depth)
    sigma = np.where(long_tail, 1.1, 0.45)
    qty = np.maximum(1, np.round(mean_qty * rng.lognormal(-(sigma**2) / 2, sigma))).astype(np.int64)

    change = _day_idx(products["price_change_date"], days[0])[sku]
    list_cents = np.where(
        day >= change, products["list_price_cents"].to_numpy()[sku], base_price[sku]
    )
    chan_bp = np.array([CHANNEL_DISCOUNT_BP.get(c, 0) for c in cfg.channels])
    bp = (
        TIER_DISCOUNT_BP[np.minimum(customers["tier_idx"].to_numpy()[cust], 2)]
        + chan_bp[customers["channel_idx"].to_numpy()[cust]]
        + extra_bp[order_of_line]
        + np.round(promo_depth * 10000).astype(np.int64)
    )
    bp = np.minimum(bp, 6000)
    net_cents = (list_cents * (10000 - bp) + 5000) // 10000

    out = pd.DataFrame(
        {
            "order": order_of_line,
            "day": day,
            "cust": cust,
            "region": region,
            "sku": sku,
            "qty": qty,
            "list_cents": list_cents,
            "disc_bp": bp,
            "net_cents": net_cents,
            "req_day": day + req_lead[order_of_line],
            "ship_day": day + handling[order_of_line],
            "promo_depth": promo_depth,
        }
    )
    out["line_number"] = _line_numbers(order_of_line)
    return out


def _line_numbers(order_of_line: np.ndarray) -> np.ndarray:
    """1-based position of each line within its order (lines of an order are contiguous)."""
    n = len(order_of_line)
    starts = (
        np.flatnonzero(np.r_[True, order_of_line[1:] != order_of_line[:-1]])
        if n
        else np.empty(0, dtype=np.int64)
    )
    first = np.repeat(
        np.asarray(starts, dtype=np.int64), np.diff(np.r_[starts, n]).astype(np.int64)
    )
    return np.arange(n, dtype=np.int64) - first + 1
