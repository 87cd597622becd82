"""Master data of the demo company: products, customers, bill of materials, promotions."""

from __future__ import annotations

import zlib
from datetime import date

import numpy as np
import pandas as pd

from demo_company.config import DemoConfig

PRODUCT_LINE_NAMES = (
    "Kitchen Appliances",
    "Personal Care",
    "Home Cleaning",
    "Air and Climate",
    "Lighting",
    "Small Electronics",
    "Garden Tools",
    "Storage",
)
BRANDS = ("Huaxin", "Jiali", "Mingtai")
SURNAMES = (
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Zhao",
    "Huang",
    "Zhou",
    "Wu",
    "Xu",
    "Sun",
    "Hu",
    "Zhu",
    "Gao",
    "Lin",
    "He",
    "Guo",
    "Ma",
    "Luo",
)
GIVEN = (
    "Wei",
    "Fang",
    "Na",
    "Min",
    "Jing",
    "Lei",
    "Qiang",
    "Yan",
    "Jun",
    "Yong",
    "Jie",
    "Tao",
    "Ming",
    "Chao",
    "Xia",
    "Hua",
    "Ping",
    "Gang",
    "Hui",
    "Ling",
)
CITIES = {
    "EAST": ("Shanghai", "Hangzhou", "Nanjing", "Suzhou"),
    "SOUTH": ("Guangzhou", "Shenzhen", "Xiamen", "Dongguan"),
    "NORTH": ("Beijing", "Tianjin", "Shenyang", "Jinan"),
    "WEST": ("Chengdu", "Chongqing", "Xi'an", "Kunming"),
}
REGION_WEIGHTS = {"EAST": 0.35, "SOUTH": 0.30, "NORTH": 0.20, "WEST": 0.15}


def rng_for(seed: int, stream: str) -> np.random.Generator:
    """An independent, reproducible random stream per simulator component."""
    return np.random.default_rng([seed, zlib.crc32(stream.encode())])


def _day(d: date | pd.Timestamp) -> np.datetime64:
    return np.datetime64(pd.Timestamp(d).date(), "D")


def build_products(cfg: DemoConfig) -> pd.DataFrame:
    """Products with their life cycle, price history, demand profile and plant.

    Columns beyond the contract (popularity, growth, price change) drive the
    demand simulation and are never written out.
    """
    rng = rng_for(cfg.seed, "products")
    n, n_pl = cfg.n_skus, cfg.n_product_lines
    start, as_of = pd.Timestamp(cfg.start_date), pd.Timestamp(cfg.as_of)
    history_days = (as_of - start).days
    pl_idx = np.arange(n) % n_pl
    pl_names = [
        PRODUCT_LINE_NAMES[i] if i < len(PRODUCT_LINE_NAMES) else f"Line {i + 1}"
        for i in range(n_pl)
    ]
    long_tail = rng.random(n) < cfg.long_tail_share
    popularity = rng.lognormal(0.0, 0.6, n) * np.where(long_tail, 0.08, 1.0)
    pl_growth = rng.uniform(-0.04, 0.22, n_pl)
    growth = pl_growth[pl_idx] + rng.normal(0.0, 0.06, n)

    launch = pd.Series(start - pd.to_timedelta(rng.integers(120, 1500, n), unit="D"))
    discontinue = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
    order = rng.permutation(n)
    n_new = max(1, round(cfg.launch_share * n)) if history_days > 200 else 0
    n_disc = max(1, round(cfg.discontinue_share * n)) if history_days > 200 else 0
    new_ids, disc_ids = order[:n_new], order[n_new : n_new + n_disc]
    lo, hi = min(90, history_days // 4), max(history_days - 75, history_days // 2)
    launch.iloc[new_ids] = start + pd.to_timedelta(rng.integers(lo, hi, n_new), unit="D")
    discontinue.iloc[disc_ids] = start + pd.to_timedelta(
        rng.integers(max(lo, history_days // 3), max(history_days - 30, lo + 1), n_disc), unit="D"
    )

    base_price = np.round(rng.lognormal(np.log(180), 0.55, n), 0) - 0.1
    base_cents = np.round(base_price * 100).astype(np.int64)
    cost_ratio = rng.uniform(0.42, 0.65, n)
    cost_cents = np.round(base_cents * cost_ratio).astype(np.int64)
    has_change = rng.random(n) < 0.35
    month_offsets = rng.integers(6, max(7, history_days // 30 - 1), n)
    change_dates = pd.Series([start + pd.DateOffset(months=int(m)) for m in month_offsets])
    # NaT where the price never changes (where's default for datetimes)
    change_dates = change_dates.where(has_change & (change_dates < as_of))
    change_pct = np.where(change_dates.notna(), rng.uniform(0.03, 0.10, n), 0.0)
    current_cents = np.round(base_cents * (1 + change_pct) / 10).astype(np.int64) * 10 - 10
    current_cents = np.where(change_dates.notna(), current_cents, base_cents)

    plants = [pl.code for pl in cfg.production_lines]
    sku = [f"SKU-{i + 1:04d}" for i in range(n)]
    brand = [BRANDS[i % len(BRANDS)] for i in rng.integers(0, len(BRANDS), n)]
    return pd.DataFrame(
        {
            "sku": sku,
            "product_name": [
                f"{b} {pl_names[p].split()[0]} {chr(65 + p)}-{100 + i}"
                for i, (b, p) in enumerate(zip(brand, pl_idx, strict=True))
            ],
            "pl_idx": pl_idx,
            "product_line": [pl_names[p] for p in pl_idx],
            "brand": brand,
            "base_price_cents": base_cents,
            "list_price_cents": current_cents,
            "price_change_date": change_dates.values,
            "standard_cost_cents": cost_cents,
            "launch_date": launch.values,
            "discontinue_date": discontinue.values,
            "production_line": [plants[p % len(plants)] for p in pl_idx],
            "popularity": popularity,
            "is_long_tail": long_tail,
            "growth": growth,
        }
    )


def build_customers(cfg: DemoConfig) -> pd.DataFrame:
    """Customers with region, channel, tier, payment terms and ordering behaviour.

    ``is_late_payer`` and the rate columns are simulation internals, not written out.
    """
    rng = rng_for(cfg.seed, "customers")
    n, regions, channels = cfg.n_customers, cfg.regions, cfg.channels
    combos = [(r, c) for r in regions for c in channels]
    rw = np.array([REGION_WEIGHTS.get(r, 0.2) for r in regions])
    region = np.array(
        [c[0] for c in combos] + list(rng.choice(regions, n - len(combos), p=rw / rw.sum()))
    )
    channel = np.array([c[1] for c in combos] + list(rng.choice(channels, n - len(combos))))
    tier = rng.choice(
        cfg.tiers,
        n,
        p=[0.10, 0.40, 0.50][: len(cfg.tiers)] / np.sum([0.10, 0.40, 0.50][: len(cfg.tiers)]),
    )
    tier_i = np.array([cfg.tiers.index(t) for t in tier])
    terms_by_tier = np.array([[60, 90], [30, 45], [15, 30]])[np.minimum(tier_i, 2)]
    terms = terms_by_tier[np.arange(n), rng.integers(0, 2, n)]
    terms = np.where(channel == "online", rng.choice([0, 7], n), terms)
    late = rng.random(n) < cfg.late_payer_share * np.where(tier_i == 0, 0.5, 1.2)
    rate = np.array([0.60, 0.25, 0.08])[np.minimum(tier_i, 2)] * rng.lognormal(0, 0.3, n)
    rate *= np.where(channel == "online", 1.5, 1.0)
    qty = np.array([30.0, 12.0, 5.0])[np.minimum(tier_i, 2)]
    qty *= np.select([channel == "distributor", channel == "retail"], [1.6, 0.9], 0.6)
    qty *= rng.lognormal(0, 0.3, n)
    surname = rng.choice(SURNAMES, n)
    given = rng.choice(GIVEN, n)
    city = [
        CITIES.get(r, ("Wuhan",))[k % 4 if r in CITIES else 0]
        for r, k in zip(region, rng.integers(0, 4, n), strict=True)
    ]
    name = np.where(
        channel == "online",
        [f"{s} {g} (online store)" for s, g in zip(surname, given, strict=True)],
        [f"{c} {s}{g} Trading Co." for c, s, g in zip(city, surname, given, strict=True)],
    )
    numbers = [
        f"+86 1{d[0]}{d[1]} {d[2:6]} {d[6:10]}"
        for d in (f"{x:010d}" for x in rng.integers(3_000_000_000, 9_999_999_999, n))
    ]
    phone = np.where(rng.random(n) < 0.08, "", numbers)
    return pd.DataFrame(
        {
            "customer_id": [f"C{i + 1:05d}" for i in range(n)],
            "customer_name": name,
            "contact_phone": phone,
            "region": region,
            "region_idx": [regions.index(r) for r in region],
            "channel": channel,
            "channel_idx": [channels.index(c) for c in channel],
            "tier": tier,
            "tier_idx": tier_i,
            "payment_terms_days": terms.astype(int),
            "is_late_payer": late,
            "order_rate": rate,
            "qty_scale": qty,
        }
    )


def build_bom(cfg: DemoConfig, products: pd.DataFrame) -> pd.DataFrame:
    """One to three purchased components per SKU, with supplier lead time, cost and terms."""
    rng = rng_for(cfg.seed, "bom")
    n_comp, n_sup = max(6, int(cfg.n_skus * 0.8)), min(40, max(3, cfg.n_skus // 8))
    sup_lead = rng.integers(7, 61, n_sup)
    sup_terms = rng.choice([30, 45, 60, 90], n_sup)
    comp_sup = rng.integers(0, n_sup, n_comp)
    comp_cost = np.round(rng.lognormal(np.log(12), 0.9, n_comp), 4)
    kinds = (
        "housing",
        "motor",
        "circuit board",
        "cable set",
        "filter",
        "packaging",
        "heating element",
    )
    comp_name = [f"{kinds[i % len(kinds)]} type {i + 1}" for i in range(n_comp)]
    k = rng.integers(1, 4, len(products))
    sku_idx = np.repeat(np.arange(len(products)), k)
    comp = rng.integers(0, n_comp, len(sku_idx))
    bom = pd.DataFrame({"sku_idx": sku_idx, "comp": comp}).drop_duplicates()
    qty = rng.choice([1.0, 1.0, 1.0, 2.0, 4.0, 0.5], len(bom))
    comp_of_line = bom["comp"].to_numpy()
    s = comp_sup[comp_of_line]
    out = pd.DataFrame(
        {
            "sku": products["sku"].to_numpy()[bom["sku_idx"].to_numpy()],
            "component_id": [f"CMP-{c + 1:04d}" for c in comp_of_line],
            "component_name": [comp_name[c] for c in comp_of_line],
            "qty_per_unit": qty,
            "supplier_id": [f"SUP-{x + 1:02d}" for x in s],
            "supplier_lead_time_days": sup_lead[s],
            "component_cost": comp_cost[comp_of_line],
            "supplier_payment_terms_days": sup_terms[s],
        }
    )
    return out.sort_values(["sku", "component_id"], kind="stable").reset_index(drop=True)


def build_promotions(cfg: DemoConfig, products: pd.DataFrame) -> pd.DataFrame:
    """Promotion calendar: 618 and Double 11 line-wide promos plus SKU promos by region.

    The calendar runs 90 days past ``as_of`` because marketing plans ahead.
    """
    rng = rng_for(cfg.seed, "promotions")
    start, horizon = pd.Timestamp(cfg.start_date), pd.Timestamp(cfg.as_of) + pd.Timedelta(days=90)
    lines = sorted(products["product_line"].unique())
    rows = []
    for year in range(start.year, horizon.year + 1):
        for name, s, e, depth_lo in (
            ("618", f"{year}-06-01", f"{year}-06-18", 0.08),
            ("Double 11", f"{year}-11-01", f"{year}-11-11", 0.12),
        ):
            for line in rng.choice(lines, min(2, len(lines)), replace=False):
                rows.append(
                    (
                        f"{name} {line}",
                        None,
                        line,
                        "ALL",
                        pd.Timestamp(s),
                        pd.Timestamp(e),
                        round(float(rng.uniform(depth_lo, depth_lo + 0.08)), 2),
                    )
                )
        n_sku_promos = max(4, cfg.n_skus // 4)
        starts = pd.Timestamp(f"{year}-01-01") + pd.to_timedelta(
            rng.integers(0, 350, n_sku_promos), "D"
        )
        dur = rng.integers(7, 22, n_sku_promos)
        pick = rng.integers(0, len(products), n_sku_promos)
        region = np.where(
            rng.random(n_sku_promos) < 0.2, "ALL", rng.choice(cfg.regions, n_sku_promos)
        )
        depth = np.round(rng.uniform(0.05, 0.25, n_sku_promos), 2)
        for st, du, p, r, dp in zip(starts, dur, pick, region, depth, strict=True):
            prod = products.iloc[p]
            end = st + pd.Timedelta(days=int(du) - 1)
            alive = prod["launch_date"] <= st and (
                pd.isna(prod["discontinue_date"]) or prod["discontinue_date"] >= end
            )
            if alive:
                rows.append(
                    (
                        f"Spring deal {prod['sku']}" if st.month < 4 else f"Deal {prod['sku']}",
                        prod["sku"],
                        None,
                        str(r),
                        st,
                        end,
                        float(dp),
                    )
                )
    promos = pd.DataFrame(
        rows,
        columns=[
            "promo_name",
            "sku",
            "product_line",
            "region",
            "start_date",
            "end_date",
            "discount_depth",
        ],
    )
    promos = promos[(promos["end_date"] >= start) & (promos["start_date"] <= horizon)]
    promos = promos.sort_values(["start_date", "promo_name", "region"], kind="stable")
    promos.insert(0, "promo_id", [f"PR{i + 1:05d}" for i in range(len(promos))])
    return promos.reset_index(drop=True)
