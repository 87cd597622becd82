"""The sales team's forecast workbooks: what each region said, each month, with optimism.

A regional sales manager takes the same month last year, scales it by the
recent year-on-year growth, and adds optimism (拍脑袋). Planning month M's
workbook uses only orders booked up to the end of M.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo_company.config import DemoConfig
from demo_company.masters import rng_for


def monthly_demand(
    cfg: DemoConfig, lines: pd.DataFrame, products: pd.DataFrame, days: pd.DatetimeIndex
) -> pd.DataFrame:
    """Ordered units per region x product line x closed month, zero-filled."""
    closed = pd.period_range(days[0], pd.Timestamp(cfg.as_of), freq="M")[:-1]
    pls = sorted(products["product_line"].unique())
    frame = pd.DataFrame(
        {
            "region": np.array(cfg.regions)[lines["region"].to_numpy()],
            "product_line": products["product_line"].to_numpy()[lines["sku"].to_numpy()],
            "period": days.to_period("M")[lines["day"].to_numpy()],
            "qty": lines["qty"].to_numpy(),
        }
    )
    table = frame.groupby(["region", "product_line", "period"])["qty"].sum()
    grid = pd.MultiIndex.from_product(
        [list(cfg.regions), pls, closed], names=["region", "product_line", "period"]
    )
    return table.reindex(grid, fill_value=0).unstack("period")


def forecast_workbooks(
    cfg: DemoConfig, lines: pd.DataFrame, products: pd.DataFrame, days: pd.DatetimeIndex
) -> list[tuple[str, pd.Period, pd.DataFrame]]:
    """One wide table per region and planning month from the 13th month of history on.

    Returns ``(region, planning_month, table)`` where the table has
    ``product_line`` then one integer column per target month ``YYYY-MM``.
    """
    actual = monthly_demand(cfg, lines, products, days)
    periods = list(pd.PeriodIndex(actual.columns))
    out = []
    for m_pos in range(12, len(periods)):
        plan = periods[m_pos]
        recent = periods[max(0, m_pos - 2) : m_pos + 1]
        earlier = [p - 12 for p in recent if (p - 12) in actual.columns]
        targets = [plan + h for h in range(1, cfg.sales_forecast_horizon + 1)]
        for region in cfg.regions:
            rng = rng_for(cfg.seed, f"sales-forecast-{region}-{plan}")
            block = actual.loc[[region]].droplevel("region")
            if earlier:
                growth = block[recent[-len(earlier) :]].sum(axis=1) / block[earlier].sum(
                    axis=1
                ).replace(0, np.nan)
                growth = growth.fillna(1.0).clip(0.7, 1.6)
            else:
                growth = pd.Series(1.0, index=block.index)
            bias = 1.0 + rng.normal(cfg.sales_forecast_bias, 0.04)
            wide = pd.DataFrame({"product_line": block.index})
            for t in targets:
                base = (
                    block[t - 12].to_numpy()
                    if (t - 12) in block.columns
                    else block[plan].to_numpy()
                )
                noise = rng.lognormal(0.0, 0.08, len(block))
                wide[str(t)] = np.round(base * growth.to_numpy() * bias * noise).astype(np.int64)
            out.append((region, plan, wide))
    return out
