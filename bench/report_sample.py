"""SAMPLE inputs for the retrospective: synthetic, seeded, for tests, the benchmark and a
manual preview.

Not product code: the monthly asset reads its inputs from the ``reports.rpt_*`` models.
Columns those models derive (variances, ratios, FVA) are derived here from the synthetic
figures only so that the sample is coherent. The sample follows the input contract exactly and
behaves plausibly (seasonal demand with a Spring Festival dip and 618 /
Double 11 peaks, an optimistic consensus, price/volume/mix effects that add
up to the cent), so the report can be previewed without a warehouse::

    python -m bench.report_sample OUT_DIR --month 2026-10 --lang zh
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reports.contract import CAUSE_COLUMNS, LIKELY_CAUSES, RetrospectiveInputs, month_start

SAMPLE_PRODUCT_LINES = ("Beverages", "Snacks", "Dairy", "Home care")
SAMPLE_REGIONS = ("EAST", "SOUTH", "NORTH", "WEST")
SAMPLE_CHANNELS = ("distributor", "retail", "online")
_SEASONALITY = {1: 1.05, 2: 0.72, 3: 0.95, 4: 0.98, 5: 1.0, 6: 1.18, 7: 0.97, 8: 0.96, 9: 1.02,
                10: 1.04, 11: 1.32, 12: 1.12}  # fmt: skip


def _months(end: pd.Timestamp, count: int) -> list[pd.Timestamp]:
    return [end - pd.DateOffset(months=count - 1 - i) for i in range(count)]


def sample_inputs(month: date, seed: int = 0) -> RetrospectiveInputs:
    """Build a synthetic ``RetrospectiveInputs`` for ``month``; same month and seed, same frames."""
    rng = np.random.default_rng(seed)
    this = month_start(month)
    demand = _sample_demand(this, rng)
    kpis = _sample_kpis(this, rng)
    accuracy = _sample_accuracy(this, rng)
    return RetrospectiveInputs(
        kpis=kpis,
        forecast_vs_actual=demand,
        forecast_accuracy=accuracy,
        forecast_value_added=_sample_fva(accuracy, this),
        deviations=_sample_deviations(this, rng),
        budget_variance=_sample_budget(this, rng),
        inventory=_sample_inventory(this, rng),
        stockouts=_sample_stockouts(this, rng),
        cash=_sample_cash(this, rng),
        alerts=_sample_alerts(this, rng),
        dq_results=_sample_dq(this, rng),
    )


def _sample_demand(this: pd.Timestamp, rng: np.random.Generator) -> pd.DataFrame:
    months = _months(this, 30)
    rows = []
    for i, line in enumerate(SAMPLE_PRODUCT_LINES):
        base = 40_000 / (i + 1)
        actual = np.array(
            [
                base * (1 + 0.01 * k) * _SEASONALITY[m.month] * rng.normal(1, 0.07)
                for k, m in enumerate(months)
            ]
        )
        for k, m in enumerate(months[12:], start=12):
            statistical = actual[k] * rng.normal(1.0, 0.08)
            rows.append(
                {
                    "month": m.date(),
                    "product_line": line,
                    "actual_units": round(actual[k]),
                    "naive_units": round(actual[k - 12]),
                    "statistical_units": round(statistical),
                    "consensus_units": round(statistical * rng.normal(1.07, 0.05)),
                }
            )
    return pd.DataFrame(rows)


def _sample_kpis(this: pd.Timestamp, rng: np.random.Generator) -> pd.DataFrame:
    spec = {  # kpi: (start, monthly drift, noise, target, higher_is_better)
        "forecast_accuracy": (0.72, 0.008, 0.02, 0.85, True),
        "forecast_bias": (0.09, -0.004, 0.015, 0.0, None),
        "fill_rate": (0.86, 0.006, 0.015, 0.95, True),
        "otif": (0.78, 0.008, 0.02, 0.92, True),
        "stockout_rate": (0.09, -0.004, 0.01, 0.03, False),
        "inventory_turns": (3.1, 0.12, 0.15, 5.0, True),
        "days_of_supply": (62.0, -1.2, 2.5, 45.0, False),
        "inventory_value": (18_500_000.0, -150_000.0, 400_000.0, None, False),
        "dso": (68.0, -0.8, 2.0, 55.0, False),
        "cash_collected": (9_800_000.0, 60_000.0, 500_000.0, None, True),
        "net_revenue": (10_400_000.0, 70_000.0, 450_000.0, 11_500_000.0, True),
    }
    rows: list[dict[str, Any]] = []
    for k, m in enumerate(_months(this, 14)):
        for kpi, (start, drift, noise, target, higher) in spec.items():
            value = start + drift * k + rng.normal(0, noise)
            prev = rows[-len(spec)]["value"] if k else None
            vs_target = None if target is None else value - target
            rows.append(
                {
                    "month": m.date(),
                    "kpi": kpi,
                    "value": value,
                    "prev_value": prev,
                    "change": None if prev is None else value - prev,
                    "target": target,
                    "vs_target": vs_target,
                    "higher_is_better": higher,
                    "is_on_target": _sample_on_target(vs_target, higher),
                }
            )
    return pd.DataFrame(rows)


def _sample_on_target(vs_target: float | None, higher: bool | None) -> bool | None:
    """The sample's status, as ``reports.rpt_kpis.is_on_target`` (2-point tolerance)."""
    if vs_target is None:
        return None
    if higher is None:
        return abs(vs_target) <= 0.02
    return vs_target >= 0 if higher else vs_target <= 0


def _sample_accuracy(this: pd.Timestamp, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for k, m in enumerate(_months(this, 18)):
        for lag in (1, 2, 3):
            statistical = 0.30 - 0.006 * k + 0.03 * (lag - 1) + rng.normal(0, 0.02)
            wapes = {
                "naive": 0.36 + 0.02 * (lag - 1) + rng.normal(0, 0.03),
                "statistical": statistical,
                "consensus": statistical + rng.normal(0.01, 0.02),
            }
            for method, wape in wapes.items():
                rows.append(
                    {
                        "target_month": m.date(),
                        "lag_months": lag,
                        "method": method,
                        "wape": max(wape, 0.03),
                        "forecast_accuracy": 1.0 - max(wape, 0.03),
                        "bias": rng.normal(0.05 if method == "consensus" else 0.0, 0.03),
                    }
                )
    return pd.DataFrame(rows)


def _sample_fva(accuracy: pd.DataFrame, this: pd.Timestamp) -> pd.DataFrame:
    """The report month's FVA from the sample accuracy, over its 12 target months."""
    window = accuracy[pd.to_datetime(accuracy["target_month"]) > this - pd.DateOffset(months=12)]
    wide = window.pivot_table(
        index=["lag_months", "target_month"], columns="method", values="forecast_accuracy"
    )
    means = wide.groupby(level="lag_months").mean()
    return pd.DataFrame(
        {
            "report_month": this.date(),
            "lag_months": means.index.astype(int),
            "months": wide.groupby(level="lag_months").size().to_numpy(),
            "naive_accuracy": means["naive"].to_numpy(),
            "statistical_accuracy": means["statistical"].to_numpy(),
            "consensus_accuracy": means["consensus"].to_numpy(),
            "fva_stat_vs_naive": (means["statistical"] - means["naive"]).to_numpy(),
            "fva_consensus_vs_stat": (means["consensus"] - means["statistical"]).to_numpy(),
        }
    )


def _sample_deviations(this: pd.Timestamp, rng: np.random.Generator) -> pd.DataFrame:
    subjects = [("total", "All")]
    subjects += [("product_line", line) for line in SAMPLE_PRODUCT_LINES]
    subjects += [("region", region) for region in SAMPLE_REGIONS]
    subjects += [("channel", channel) for channel in SAMPLE_CHANNELS]
    subjects += [("customer_tier", tier) for tier in ("key", "standard", "small")]
    subjects += [("sku", f"SKU-{100 + n:04d} · {SAMPLE_PRODUCT_LINES[n % 4]}") for n in range(12)]
    rows = []
    for m in _months(this, 2):
        for level, subject in subjects:
            scale = {"total": 10e6, "sku": 0.35e6}.get(level, 2.6e6)
            planned = round(scale * rng.uniform(0.7, 1.3), 2)
            price = round(planned * rng.normal(0, 0.025), 2)
            volume = round(planned * rng.normal(-0.02, 0.08), 2)
            mix = round(planned * rng.normal(0, 0.015), 2)
            cause = _plausible_cause(price, volume, mix, rng)
            parts = _sample_attribution(price, volume + mix, cause, rng)
            planned_units = round(planned / 120.0)
            override_units = -parts["cause_override_amount"] / 120.0
            rows.append(
                {
                    "month": m.date(),
                    "level": level,
                    "subject": subject,
                    "planned_revenue": planned,
                    "actual_revenue": round(planned + price + volume + mix, 2),
                    "price_effect": price,
                    "volume_effect": volume,
                    "mix_effect": mix,
                    "likely_cause": cause,
                    **parts,
                    "planned_units": float(planned_units),
                    "statistical_units": float(round(planned_units - override_units)),
                    "actual_units": float(round((planned + volume + mix) / 120.0)),
                    "sales_team_units": float(planned_units if override_units else 0),
                    "product_line": subject if level == "product_line" else None,
                    "region": subject if level == "region" else None,
                }
            )
    out = pd.DataFrame(rows)
    stat, cons, actual = out["statistical_units"], out["planned_units"], out["actual_units"]
    return out.assign(
        revenue_variance=out["actual_revenue"] - out["planned_revenue"],
        revenue_variance_pct=(out["actual_revenue"] - out["planned_revenue"])
        / out["planned_revenue"].abs(),
        override_pct=cons / stat.where(stat != 0) - 1,
        bias_statistical=stat / actual.where(actual != 0) - 1,
        bias_consensus=cons / actual.where(actual != 0) - 1,
        has_sales_team_units=out["sales_team_units"] > 0,
    )


def _sample_attribution(
    price: float, unit_variance: float, cause: str, rng: np.random.Generator
) -> dict[str, float]:
    """Split a sample deviation into the mart's cause parts: price, then the unit variance
    over the cause drawn and the forecast error, adding up to the variance to the cent."""
    part = {
        "stockout_capped": "stockout",
        "unplanned_promotion": "promotion",
        "new_item": "new_item",
        "dying_item": "dying_item",
    }.get(cause)
    parts = {column: 0.0 for column in CAUSE_COLUMNS}
    parts["cause_price_amount"] = price
    override = round(unit_variance * rng.uniform(0.2, 0.5), 2)
    parts["cause_override_amount"] = override
    named = round((unit_variance - override) * 0.7, 2) if part else 0.0
    if part:
        parts[f"cause_{part}_amount"] = named
    parts["cause_forecast_error_amount"] = round(unit_variance - override - named, 2)
    return parts


def _plausible_cause(price: float, volume: float, mix: float, rng: np.random.Generator) -> str:
    """Pick a cause consistent with which effect dominates, as the mart's rules would."""
    if abs(price) > abs(volume) and abs(price) > abs(mix):
        return "price_change"
    if volume > 0:
        return str(rng.choice(["unplanned_promotion", "big_customer_change", "new_item"]))
    if volume < 0:
        return str(rng.choice(["stockout_capped", "dying_item", "big_customer_change"]))
    return LIKELY_CAUSES[-1]


def _sample_budget(this: pd.Timestamp, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for m in _months(this, this.month):
        revenue_budget = 11.0e6 * _SEASONALITY[m.month]
        revenue = revenue_budget * rng.normal(0.97, 0.04)
        cogs_budget, cogs = revenue_budget * 0.62, revenue * rng.normal(0.63, 0.01)
        opex_budget, opex = 2.1e6, 2.1e6 * rng.normal(1.02, 0.03)
        margin_budget, margin = revenue_budget - cogs_budget, revenue - cogs
        for measure, budget, actual in (
            ("revenue", revenue_budget, revenue),
            ("cogs", cogs_budget, cogs),
            ("gross_margin", margin_budget, margin),
            ("opex", opex_budget, opex),
            ("operating_profit", margin_budget - opex_budget, margin - opex),
        ):
            rows.append(
                {
                    "month": m.date(),
                    "measure": measure,
                    "budget": round(budget, 2),
                    "actual": round(actual, 2),
                }
            )
    return _with_variance(pd.DataFrame(rows))


def _with_variance(budget: pd.DataFrame) -> pd.DataFrame:
    """The sample's variance and year-to-date columns, as ``reports.rpt_budget_variance`` has
    them (synthetic data only: the pipeline reads them from the model)."""
    out = budget.copy()
    for suffix in ("", "_ytd"):
        if suffix:
            totals = out.groupby("measure")[["budget", "actual"]].cumsum()
            out["budget_ytd"], out["actual_ytd"] = totals["budget"], totals["actual"]
        out[f"variance{suffix}"] = out[f"actual{suffix}"] - out[f"budget{suffix}"]
        out[f"variance{suffix}_pct"] = out[f"variance{suffix}"] / out[f"budget{suffix}"].abs()
    return out


def _sample_inventory(this: pd.Timestamp, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for k, m in enumerate(_months(this, 12)):
        for i, line in enumerate(SAMPLE_PRODUCT_LINES):
            daily = 40_000 / (i + 1) / 30
            safety = daily * 12
            on_hand = daily * rng.normal(55 - 0.8 * k, 4)
            rows.append(
                {
                    "month": m.date(),
                    "product_line": line,
                    "on_hand_units": round(max(on_hand, 0)),
                    "safety_stock_units": round(safety),
                    "target_stock_units": round(daily * 30),
                    "days_of_supply": max(on_hand, 0) / daily,
                    "inventory_value": round(max(on_hand, 0) * (38 + 9 * i), 2),
                    "stockout_sku_count": int(rng.poisson(1.2)),
                }
            )
    return pd.DataFrame(rows)


def _sample_stockouts(this: pd.Timestamp, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for n in rng.choice(40, size=6, replace=False):
        ordered = int(rng.integers(800, 6000))
        rows.append(
            {
                "month": this.date(),
                "sku": f"SKU-{100 + int(n):04d}",
                "product_line": SAMPLE_PRODUCT_LINES[int(n) % 4],
                "ordered_units": ordered,
                "shipped_units": int(ordered * rng.uniform(0.4, 0.9)),
            }
        )
    out = pd.DataFrame(rows)
    return out.assign(unfilled_units=out["ordered_units"] - out["shipped_units"])


def _sample_cash(this: pd.Timestamp, rng: np.random.Generator) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for k, m in enumerate(_months(this, 14)):
        revenue = 10.4e6 * _SEASONALITY[m.month] * rng.normal(1, 0.03)
        rows.append(
            {
                "month": m.date(),
                "net_revenue": round(revenue, 2),
                "cash_collected": round(revenue * rng.normal(0.93, 0.05), 2),
                "dso": 68.0 - 0.8 * k + rng.normal(0, 2),
            }
        )
    out = pd.DataFrame(rows)
    return out.assign(collected_share=out["cash_collected"] / out["net_revenue"])


def _sample_alerts(this: pd.Timestamp, rng: np.random.Generator) -> pd.DataFrame:
    spec = [
        ("lag1_error_band", "SKU-0107 · EAST", "lag-1 error 41% > band 25% (A item)", "王磊", "high"),
        ("bias_same_sign_3_cycles", "Snacks · SOUTH", "bias +12%, +9%, +15% (3 cycles)", "李娜", "medium"),
        ("projected_stockout", "SKU-0112", "projected stock 0 in 2026-W47; cover 9 days", "张伟", "critical"),
        ("budget_gap", "Dairy · NORTH", "YTD revenue −8.4% vs budget (threshold 5%)", "刘洋", "high"),
        ("dq_critical_failed", "raw.order_lines", "3 duplicate keys in order_lines", "数据组", "critical"),
        ("lag1_error_band", "SKU-0121 · WEST", "lag-1 error 33% > band 25% (A item)", "陈静", "medium"),
        ("projected_stockout", "SKU-0130", "projected stock 0 in 2026-W49", "张伟", "low"),
    ]  # fmt: skip
    rows = []
    for n, (rule, subject, figures, owner, severity) in enumerate(spec):
        rows.append(
            {
                "rule": rule,
                "subject": subject,
                "figures": figures,
                "owner": owner,
                "severity": severity,
                "first_seen_cycle": (this - pd.DateOffset(months=n % 3)).date(),
                "is_open": n != 5,
            }
        )
    return pd.DataFrame(rows)


def _sample_dq(this: pd.Timestamp, rng: np.random.Generator) -> pd.DataFrame:
    checks = [
        ("raw_order_lines", "raw.order_lines", "expect_compound_columns_to_be_unique", "critical"),
        ("raw_order_lines", "raw.order_lines", "expect_column_values_to_not_be_null", "critical"),
        ("raw_order_lines", "raw.order_lines", "expect_column_values_to_be_in_set", "warning"),
        ("raw_shipments", "raw.shipments", "expect_column_values_to_be_between", "critical"),
        ("raw_shipments", "raw.shipments", "expect_table_row_count_to_be_between", "warning"),
        ("raw_invoices", "raw.invoices", "expect_column_values_to_not_be_null", "critical"),
        ("mart_kpis_monthly", "marts.mart_kpis_monthly", "expect_column_values_to_be_between", "warning"),
    ]  # fmt: skip
    rows = []
    for day in (3, 17, 28):
        evaluated = datetime(this.year, this.month, day, 2, 15)
        for n, (suite, table, expectation, severity) in enumerate(checks):
            failed = day == 28 and n in (2, 4)
            rows.append(
                {
                    "suite": suite,
                    "table": table,
                    "expectation": expectation,
                    "severity": severity,
                    "success": not failed,
                    "unexpected_count": int(rng.integers(3, 40)) if failed else 0,
                    "evaluated_at": pd.Timestamp(evaluated, tz="UTC"),
                }
            )
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> Path:
    """Write a SAMPLE report for a manual preview (``python -m bench.report_sample OUT_DIR``)."""
    from reports.retrospective import write_retrospective

    parser = argparse.ArgumentParser(description="Write a retrospective from SAMPLE data.")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--month", default="2026-10", help="YYYY-MM")
    parser.add_argument("--lang", default="zh", choices=("zh", "en"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--company", default="Sample Co.", help="name shown in the header")
    parser.add_argument("--currency", help="ISO 4217 code of the amounts (default: none shown)")
    args = parser.parse_args(argv)
    month = date.fromisoformat(args.month + "-01")
    path = write_retrospective(
        sample_inputs(month, args.seed), month, args.out_dir, args.lang,
        company=args.company, currency=args.currency, sample=True,
    )  # fmt: skip
    print(path)
    return path


if __name__ == "__main__":
    main()
