"""Forecast accuracy and interval calibration over backfilled cycles, without Dagster.

    python -m bench.evaluate --setting realistic --cycles 6
    python -m bench.evaluate --setting default --cycles 6 --out bench/out/eval-default.json

Builds the monthly demand panel of a demo setting straight from the simulator's
order lines, aggregated like ``fct_demand_monthly`` (ordered units per sku x
ship-to region x channel x complete month), runs :func:`models_ml.run_cycle`
for each backfilled cycle and scores lags 1..6 against the later actuals at
five levels. The baseline is plain seasonal naive computed at each level from
the actuals (same month a year before), not the forecast's own ``naive`` column.
Intervals: the cycle's own P10/P90 at a level where it gives them
(``CycleResult.levels``), else the sum of the bottom level's (what adding
quantiles gives). Timed tests never run this; people do.
"""

from __future__ import annotations

import argparse
import json
import os
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from demo_company.calendar import daily_index
from demo_company.config import DemoConfig
from demo_company.demand import promo_arrays, simulate_orders
from demo_company.masters import build_customers, build_products, build_promotions

if TYPE_CHECKING:
    from models_ml import CycleConfig, CycleResult

LEVELS = {
    "sku_region_channel": ["sku", "region", "channel"],
    "sku_region": ["sku", "region"],
    "sku": ["sku"],
    "product_line_region": ["product_line", "region"],
    "product_line": ["product_line"],
    "total": [],
}
INTERVAL_LEVELS = ("sku_region_channel", "product_line_region", "product_line", "total")
MAX_LAG = 6


def setting_config(setting: str, n_skus: int | None = None, seed: int | None = None) -> DemoConfig:
    """The demo company of a named setting: ``default`` or ``realistic`` (own size and seed
    unless given)."""
    overrides: dict[str, Any] = {}
    if n_skus is not None:
        overrides["n_skus"] = n_skus
    if seed is not None:
        overrides["seed"] = seed
    if setting == "default":
        return DemoConfig(**overrides)
    if setting == "realistic":
        return DemoConfig.realistic(**overrides)
    raise ValueError(f"unknown setting {setting!r}: default or realistic")


def demand_inputs(cfg: DemoConfig) -> dict[str, pd.DataFrame]:
    """Panel, products and drivers of a demo company, as the cycle SQL would read them."""
    days = daily_index(cfg.start_date, cfg.as_of)
    products = build_products(cfg)
    customers = build_customers(cfg)
    promos = build_promotions(cfg, products)
    lines = simulate_orders(cfg, products, customers, promos, days)
    month = days[lines["day"].to_numpy()].to_period("M").to_timestamp()
    frame = pd.DataFrame(
        {
            "sku": products["sku"].to_numpy()[lines["sku"].to_numpy()],
            "product_line": products["product_line"].to_numpy()[lines["sku"].to_numpy()],
            "region": np.asarray(cfg.regions, dtype=object)[lines["region"].to_numpy()],
            "channel": customers["channel"].to_numpy()[lines["cust"].to_numpy()],
            "month": month,
            "units": lines["qty"].to_numpy(dtype=float),
            "list_price": lines["list_cents"].to_numpy() / 100.0,
            "net_value": lines["qty"].to_numpy() * lines["net_cents"].to_numpy() / 100.0,
        }
    )
    complete = frame["month"] < pd.Timestamp(cfg.as_of).to_period("M").to_timestamp()
    frame = frame[complete]
    panel = frame.groupby(
        ["sku", "product_line", "region", "channel", "month"], as_index=False
    ).agg(demand_units=("units", "sum"), net_value=("net_value", "sum"))
    # drivers: monthly mean promotion depth per region x sku, list price per sku x region
    depth, _ = promo_arrays(cfg, promos, products, days)
    months = days.to_period("M")
    starts = np.flatnonzero(np.r_[True, months[1:] != months[:-1]])
    monthly = (
        np.add.reduceat(depth, starts, axis=1) / np.diff(np.r_[starts, len(days)])[None, :, None]
    )
    r, m, s = np.meshgrid(
        np.arange(len(cfg.regions)), np.arange(len(starts)), np.arange(len(products)), indexing="ij"
    )
    promo = pd.DataFrame(
        {
            "sku": products["sku"].to_numpy()[s.ravel()],
            "region": np.asarray(cfg.regions, dtype=object)[r.ravel()],
            "month": months[starts].to_timestamp()[m.ravel()],
            "promo_depth": monthly.ravel().astype(float),
        }
    )
    price = frame.groupby(["sku", "region", "month"], as_index=False)["list_price"].mean()
    drivers = promo.merge(price, on=["sku", "region", "month"], how="left")
    prod = products[["sku", "product_line", "launch_date", "discontinue_date"]].copy()
    return {"panel": panel, "products": prod, "drivers": drivers}


def _aggregate(frame: pd.DataFrame, keys: list[str], values: list[str]) -> pd.DataFrame:
    if not keys:
        return frame.groupby(["target_month"], as_index=False)[values].sum()
    return frame.groupby([*keys, "target_month"], as_index=False)[values].sum()


def score_cycle(
    result: CycleResult, actuals: pd.DataFrame, cycle: pd.Timestamp
) -> list[pd.DataFrame]:
    """Cells of one cycle at every level: forecast, naive, interval and actual, lags 1..6."""
    fc = result.forecast[result.forecast["lag"] <= MAX_LAG]
    targets = pd.date_range(cycle + pd.offsets.MonthBegin(1), periods=MAX_LAG, freq="MS")
    act = actuals[actuals["month"].isin(targets)].rename(columns={"month": "target_month"})
    last_year = actuals[actuals["month"].isin(targets - pd.DateOffset(years=1))].copy()
    last_year["target_month"] = last_year["month"] + pd.DateOffset(years=1)
    levels = result.levels
    out = []
    for level, keys in LEVELS.items():
        f = _aggregate(fc, keys, ["p10", "p50", "p90"])
        if levels is not None and level in set(levels["level"]) and level != "sku_region_channel":
            own = levels[levels["level"] == level][[*keys, "target_month", "p10", "p90"]]
            f = f.drop(columns=["p10", "p90"]).merge(own, on=[*keys, "target_month"], how="left")
        a = _aggregate(act, keys, ["demand_units"]).rename(columns={"demand_units": "actual"})
        n = _aggregate(last_year, keys, ["demand_units"]).rename(columns={"demand_units": "naive"})
        cells = f.merge(a, on=[*keys, "target_month"], how="outer")
        cells = cells.merge(n, on=[*keys, "target_month"], how="left")
        cells[["p10", "p50", "p90", "actual", "naive"]] = cells[
            ["p10", "p50", "p90", "actual", "naive"]
        ].fillna(0.0)
        cells["lag"] = (
            (cells["target_month"].dt.year - cycle.year) * 12
            + cells["target_month"].dt.month
            - cycle.month
        )
        cells["level"] = level
        cells["cycle_month"] = cycle
        out.append(
            cells[
                [
                    "level",
                    "cycle_month",
                    "lag",
                    "target_month",
                    "actual",
                    "p50",
                    "naive",
                    "p10",
                    "p90",
                ]
            ]
        )
    return out


PRICE_MONTHS = 3


def revenue_cells(result: CycleResult, panel: pd.DataFrame, cycle: pd.Timestamp) -> pd.DataFrame:
    """Revenue at product line x region x month, as mart_financial_plan makes it, and actual.

    P50 revenue = series P50 units x the series' net price over the last 3 months to the
    cycle (else its SKU's, else its node's); P10/P90 = P50 x the product line x region
    band's ratios (``CycleResult.levels``). Actual = net value ordered in the month.
    """
    fc = result.forecast[result.forecast["lag"] <= MAX_LAG]
    recent = panel[
        (panel["month"] <= cycle) & (panel["month"] > cycle - pd.DateOffset(months=PRICE_MONTHS))
    ]
    keys = ["sku", "region", "channel"]
    by_series = recent.groupby(keys)[["net_value", "demand_units"]].sum()
    by_sku = recent.groupby("sku")[["net_value", "demand_units"]].sum()
    by_node = recent.groupby(["product_line", "region"])[["net_value", "demand_units"]].sum()
    price = fc.join((by_series["net_value"] / by_series["demand_units"]).rename("p1"), on=keys)
    price = price.join((by_sku["net_value"] / by_sku["demand_units"]).rename("p2"), on="sku")
    price = price.join(
        (by_node["net_value"] / by_node["demand_units"]).rename("p3"), on=["product_line", "region"]
    )
    unit_price = price["p1"].fillna(price["p2"]).fillna(price["p3"]).fillna(0.0)
    node = ["product_line", "region", "target_month"]
    plan = (
        fc.assign(revenue=fc["p50"] * unit_price).groupby(node, as_index=False)[["revenue"]].sum()
    )
    if result.levels is None:
        raise ValueError("revenue cells need the cycle's level bands (CycleResult.levels)")
    band = result.levels[result.levels["level"] == "product_line_region"]
    band = band.assign(
        r10=band["p10"] / band["p50"].where(band["p50"] > 0),
        r90=band["p90"] / band["p50"].where(band["p50"] > 0),
    )
    plan = plan.merge(band[[*node, "r10", "r90"]], on=node, how="left")
    actual = (
        panel[panel["month"].isin(plan["target_month"].unique())]
        .groupby(["product_line", "region", "month"], as_index=False)[["net_value"]]
        .sum()
        .rename(columns={"month": "target_month", "net_value": "actual"})
    )
    cells = plan.merge(actual, on=node, how="outer").fillna({"revenue": 0.0, "actual": 0.0})
    cells["p10"] = cells["revenue"] * cells["r10"].fillna(1.0).clip(upper=1.0)
    cells["p90"] = cells["revenue"] * cells["r90"].fillna(1.0).clip(lower=1.0)
    cells["cycle_month"] = cycle
    return cells


def summarise(cells: pd.DataFrame) -> pd.DataFrame:
    """Per level: WAPE and bias at lag 1 and lags 1..6, coverage and width / error ratio."""
    rows = []
    for level, g in cells.groupby("level", sort=False):
        row: dict[str, Any] = {"level": level}
        for name, part in (("lag1", g[g["lag"] == 1]), ("lag1_6", g)):
            actual = part["actual"].sum()
            for fc in ("p50", "naive"):
                tag = "stat" if fc == "p50" else "naive"
                row[f"{name}_wape_{tag}"] = float(np.abs(part[fc] - part["actual"]).sum() / actual)
                row[f"{name}_bias_{tag}"] = float((part[fc] - part["actual"]).sum() / actual)
        inside = (g["actual"] >= g["p10"] - 1e-9) & (g["actual"] <= g["p90"] + 1e-9)
        row["coverage_p10_p90"] = float(inside.mean())
        row["coverage_by_cycle"] = _coverage_by_cycle(inside, g["cycle_month"])
        by_lag = inside.groupby(g["lag"]).mean()
        row["coverage_by_lag"] = {
            int(k): round(float(v), 4) for k, v in zip(by_lag.index, by_lag, strict=True)
        }
        width = (g["p90"] - g["p10"]).median()
        abs_err = (g["p50"] - g["actual"]).abs()
        row["zero_width_share"] = float(((g["p90"] - g["p10"]) < 0.01).mean())
        row["width_to_abs_error"] = _ratio(width, abs_err.median())
        row["half_width_to_abs_error"] = row["width_to_abs_error"] / 2
        row["half_width_to_mae"] = _ratio(width / 2, abs_err.mean())
        row["cells"] = int(len(g))
        rows.append(row)
    return pd.DataFrame(rows)


def evaluate(
    setting: str,
    n_cycles: int,
    n_skus: int | None = None,
    config: CycleConfig | None = None,
    cells_out: Path | None = None,
    seed: int | None = None,
) -> dict[str, Any]:
    """Run ``n_cycles`` backfilled cycles (each scored on lags 1..6) and summarise.

    ``cells_out``: a parquet file for the scored cells (level x cycle x lag x key), so
    other summaries can be computed without refitting.
    """
    from models_ml import run_cycle
    from orchestration.settings import forecast_cycle_config

    cfg = setting_config(setting, n_skus, seed)
    t0 = time.perf_counter()
    inputs = demand_inputs(cfg)
    panel = inputs["panel"]
    actuals = panel.rename(columns={})[
        ["sku", "product_line", "region", "channel", "month", "demand_units"]
    ]
    last_month = panel["month"].max()
    cycles = [last_month - pd.DateOffset(months=MAX_LAG + k) for k in range(n_cycles)][::-1]
    config = config or forecast_cycle_config()
    cells: list[pd.DataFrame] = []
    seconds: dict[str, float] = {}
    revenue: list[pd.DataFrame] = []
    for cycle in cycles:
        start = time.perf_counter()
        result = run_cycle(
            panel[panel["month"] <= cycle], inputs["products"], inputs["drivers"], cycle, config
        )
        seconds[str(cycle.date())] = round(time.perf_counter() - start, 1)
        cells.extend(score_cycle(result, actuals, cycle))
        if result.levels is not None:
            revenue.append(revenue_cells(result, panel, cycle))
        print(f"cycle {cycle:%Y-%m}: {seconds[str(cycle.date())]} s", flush=True)
    scored = pd.concat(cells, ignore_index=True)
    if cells_out is not None:
        scored.to_parquet(cells_out, index=False)
    table = summarise(scored)
    first = panel.groupby(["sku", "region", "channel"])["month"].min()
    young = int((first > cycles[-1] - pd.DateOffset(months=13)).sum())
    return {
        "setting": setting,
        "n_skus": cfg.n_skus,
        "seed": cfg.seed,
        "cycles": [str(c.date()) for c in cycles],
        "series": int(len(first)),
        "series_younger_than_13_months_at_last_cycle": young,
        "generation_seconds": round(time.perf_counter() - t0 - sum(seconds.values()), 1),
        "cycle_seconds": seconds,
        "levels": table.to_dict(orient="records"),
        "revenue_product_line_region": _revenue_summary(revenue),
    }


def _ratio(numerator: float, denominator: float) -> float:
    return float(numerator / denominator) if denominator > 0 else float("nan")


def _coverage_by_cycle(inside: pd.Series, cycle_month: pd.Series) -> dict[str, float]:
    """Share of cells inside their P10-P90 band per cycle, keyed by the cycle's ISO date."""
    share = inside.groupby(cycle_month).mean()
    return {str(k.date()): round(float(v), 4) for k, v in zip(share.index, share, strict=True)}


def _revenue_summary(frames: list[pd.DataFrame]) -> dict[str, Any]:
    """Coverage of the financial plan's revenue P10-P90 at product line x region x month."""
    if not frames:
        return {}
    cells = pd.concat(frames, ignore_index=True)
    inside = (cells["actual"] >= cells["p10"] - 1e-6) & (cells["actual"] <= cells["p90"] + 1e-6)
    return {
        "coverage_p10_p90": round(float(inside.mean()), 4),
        "cells": int(len(cells)),
        "wape": round(
            float(np.abs(cells["revenue"] - cells["actual"]).sum() / cells["actual"].sum()), 4
        ),
        "coverage_by_cycle": _coverage_by_cycle(inside, cells["cycle_month"]),
    }


def print_table(doc: dict[str, Any]) -> None:
    cols = [
        "level",
        "lag1_wape_stat",
        "lag1_wape_naive",
        "lag1_6_wape_stat",
        "lag1_6_wape_naive",
        "lag1_6_bias_stat",
        "lag1_6_bias_naive",
        "coverage_p10_p90",
        "zero_width_share",
        "half_width_to_abs_error",
        "half_width_to_mae",
    ]
    frame = pd.DataFrame(doc["levels"])[cols]
    print(
        f"setting {doc['setting']}: {doc['series']} series, cycles {doc['cycles'][0]}.."
        f"{doc['cycles'][-1]}"
    )
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(frame.round(3).to_string(index=False))
    revenue = doc.get("revenue_product_line_region") or {}
    if revenue:
        print(
            f"revenue at product_line_region x month: P10-P90 coverage "
            f"{revenue['coverage_p10_p90']:.3f} over {revenue['cells']} cells, "
            f"WAPE {revenue['wape']:.3f}"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setting", default="realistic", choices=("default", "realistic"))
    parser.add_argument("--cycles", type=int, default=6)
    parser.add_argument("--skus", type=int, default=None, help="catalogue size (setting's own)")
    parser.add_argument("--seed", type=int, default=None, help="simulation seed (setting's own)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    out = args.out or Path("bench/out") / f"eval-{args.setting}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    # statsforecast's ETS on short series and sktime's remember_data notice, here and in
    # the worker processes (which inherit the environment, not the filters)
    os.environ["PYTHONWARNINGS"] = "ignore::RuntimeWarning,ignore::FutureWarning"
    warnings.simplefilter("ignore", RuntimeWarning)
    warnings.simplefilter("ignore", FutureWarning)
    doc = evaluate(
        args.setting,
        args.cycles,
        args.skus,
        cells_out=out.with_suffix(".cells.parquet"),
        seed=args.seed,
    )
    print_table(doc)
    out.write_text(json.dumps(doc, indent=2, default=str))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
