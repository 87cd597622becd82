"""TEST FIXTURE, not a forecaster: a transparent ml.forecast frame.

The performance marts read the versioned forecasts of many cycles. Until the
forecasting cycle writes them, tests build those marts on these stand-ins,
computed per cycle only from ``marts.fct_demand_monthly`` rows up to the cycle:

* naive = seasonal naive (the same month a year earlier, else the last month);
* statistical = mean ordered units of the series' last 3 months;
* P10 / P90 = 0.7 / 1.3 x statistical.

The consensus is not a fixture: dbt builds it (int_consensus_allocated, i.e.
ml.consensus_forecast) from this forecast and the demo's sales-team workbooks.

The test at the bottom pins the fixture's own rules, so a change to it is seen.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

FIXTURE_MODEL = "test_fixture_moving_average"


def fixture_forecasts(demand: pd.DataFrame, cycles: list[date], horizon: int) -> pd.DataFrame:
    """The forecast frame (ml.forecast's layout) for ``cycles`` from a demand panel.

    ``demand`` has ``sku, product_line, region, channel, month, ordered_units``.
    """
    demand = demand.assign(month=pd.to_datetime(demand["month"]))
    rows = []
    for cycle in map(pd.Timestamp, cycles):
        known = demand.loc[demand["month"] <= cycle]
        for (sku, line, region, channel), series in known.groupby(
            ["sku", "product_line", "region", "channel"], sort=True
        ):
            values = series.set_index("month")["ordered_units"].astype(float)
            statistical = float(values.iloc[-3:].mean())
            for lag in range(1, horizon + 1):
                target = cycle + pd.DateOffset(months=lag)
                naive = float(values.get(target - pd.DateOffset(months=12), values.iloc[-1]))
                rows.append(
                    (
                        cycle.date(),
                        sku,
                        line,
                        region,
                        channel,
                        target.date(),
                        lag,
                        0.7 * statistical,
                        statistical,
                        1.3 * statistical,
                        naive,
                    )
                )
    frame = pd.DataFrame(
        rows,
        columns=[
            "cycle_month",
            "sku",
            "product_line",
            "region",
            "channel",
            "target_month",
            "lag",
            "p10",
            "p50",
            "p90",
            "naive",
        ],
    )
    return frame.assign(model=FIXTURE_MODEL, demand_class="smooth")


def write_fixture_forecasts(
    conn: duckdb.DuckDBPyConnection, cycles: list[date], horizon: int = 6
) -> None:
    """Replace ml.forecast with the fixture's frame for ``cycles``."""
    demand = conn.execute(
        "select sku, product_line, region, channel, month, ordered_units "
        "from marts.fct_demand_monthly order by sku, region, channel, month"
    ).df()
    forecast = fixture_forecasts(demand, cycles, horizon)
    conn.execute("create schema if not exists ml")
    conn.register("fixture_frame", forecast)
    conn.execute("create or replace table ml.forecast as select * from fixture_frame")
    conn.unregister("fixture_frame")


def test_fixture_rules_on_a_tiny_panel() -> None:
    months = pd.date_range("2025-01-01", "2026-02-01", freq="MS")
    demand = pd.DataFrame(
        {
            "sku": "A",
            "product_line": "P",
            "region": "EAST",
            "channel": "retail",
            "month": months,
            "ordered_units": range(1, len(months) + 1),
        }
    )
    forecast = fixture_forecasts(demand, [date(2026, 1, 1)], horizon=2)
    first = forecast.iloc[0]
    assert first["target_month"] == date(2026, 2, 1)
    assert first["p50"] == (11 + 12 + 13) / 3
    assert first["naive"] == 2  # February 2025
    assert first["p10"] == 0.7 * first["p50"] and first["p90"] == 1.3 * first["p50"]
    assert list(forecast["lag"]) == [1, 2]
