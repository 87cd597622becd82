"""Consensus demand plan: the sales team's numbers spread over the statistical forecast."""

from __future__ import annotations

import numpy as np
import pandas as pd

GROUP = ["region", "product_line", "target_month"]
OUTPUT_COLUMNS = [
    "cycle_month",
    "sku",
    "product_line",
    "region",
    "channel",
    "target_month",
    "lag",
    "naive",
    "statistical",
    "consensus",
    "sales_team_submitted",
]


def build_consensus(
    stat_forecast: pd.DataFrame,
    sales_team: pd.DataFrame,
    naive: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Disaggregate the sales team's region x product line x month units to the base grain.

    Parameters
    ----------
    stat_forecast : the cycle's forecast (cycle_month, sku, product_line, region,
        channel, target_month, lag, p50 and, unless ``naive`` is given, naive).
    sales_team : region, product_line, target_month, forecast_units: the sales
        team's submission for this cycle (duplicates are summed).
    naive : optional sku, region, channel, target_month, naive; overrides the
        naive column of ``stat_forecast``.

    Returns
    -------
    One row per base series and target month: naive, statistical (= P50),
    consensus and whether the sales team submitted a number for its group.
    Within a submitted group the consensus is proportional to the statistical
    P50; where that sums to zero, to the naive forecast; where that is zero too,
    split evenly. Groups the team did not submit keep the statistical forecast.
    Submissions for groups without any base series cannot be placed and are
    listed in ``attrs["unallocated"]``.
    """
    base = stat_forecast.rename(columns={"p50": "statistical"}).copy()
    if naive is not None:
        base = base.drop(columns=["naive"], errors="ignore").merge(
            naive[["sku", "region", "channel", "target_month", "naive"]],
            on=["sku", "region", "channel", "target_month"],
            how="left",
        )
    team = (
        sales_team.groupby(GROUP, as_index=False)[["forecast_units"]]
        .sum()
        .rename(columns={"forecast_units": "team_units"})
    )
    out = base.merge(team, on=GROUP, how="left")
    out["sales_team_submitted"] = out["team_units"].notna()
    grouped = out.groupby(GROUP)
    stat_total = grouped["statistical"].transform("sum")
    naive_total = grouped["naive"].transform("sum")
    count = grouped["statistical"].transform("size")
    share = np.where(
        stat_total > 0,
        out["statistical"] / stat_total.where(stat_total > 0, 1.0),
        np.where(
            naive_total > 0,
            out["naive"].fillna(0) / naive_total.where(naive_total > 0, 1.0),
            1.0 / count,
        ),
    )
    out["consensus"] = np.where(
        out["sales_team_submitted"], share * out["team_units"], out["statistical"]
    )
    placed = team.merge(base[GROUP].drop_duplicates(), on=GROUP, how="left", indicator=True)
    result = out[OUTPUT_COLUMNS].reset_index(drop=True)
    result.attrs["unallocated"] = placed[placed["_merge"] == "left_only"].drop(columns="_merge")
    return result
