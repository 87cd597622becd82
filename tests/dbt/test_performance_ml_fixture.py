"""TEST FIXTURE, not a forecaster: transparent ml.forecast / ml.consensus_forecast frames.

The performance marts read the versioned forecasts of many cycles. Until the
forecasting cycle writes them, tests build those marts on these stand-ins,
computed per cycle only from ``marts.fct_demand_monthly`` rows up to the cycle:

* naive = seasonal naive (the same month a year earlier, else the last month);
* statistical = mean ordered units of the series' last 3 months;
* consensus = statistical x 1.15 in EAST and SOUTH (an optimistic sales team),
  x 0.95 elsewhere;
* P10 / P90 = 0.7 / 1.3 x statistical.

The test at the bottom pins the fixture's own rules, so a change to it is seen.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

FIXTURE_MODEL = "test_fixture_moving_average"
OPTIMISTIC_REGIONS = ("EAST", "SOUTH")


def fixture_forecasts(
    demand: pd.DataFrame, cycles: list[date], horizon: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Forecast and consensus frames (ml table layouts) for ``cycles`` from a demand panel.

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
            uplift = 1.15 if region in OPTIMISTIC_REGIONS else 0.95
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
                        statistical * uplift,
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
            "consensus",
        ],
    )
    forecast = frame.drop(columns="consensus").assign(model=FIXTURE_MODEL, demand_class="smooth")
    consensus = frame.rename(columns={"p50": "statistical"})[
        [
            "cycle_month",
            "sku",
            "region",
            "channel",
            "target_month",
            "lag",
            "naive",
            "statistical",
            "consensus",
        ]
    ].assign(sales_team_submitted=True)
    return forecast, consensus


def write_fixture_forecasts(
    conn: duckdb.DuckDBPyConnection, cycles: list[date], horizon: int = 6
) -> None:
    """Replace ml.forecast and ml.consensus_forecast with the fixture's frames for ``cycles``."""
    demand = conn.execute(
        "select sku, product_line, region, channel, month, ordered_units "
        "from marts.fct_demand_monthly order by sku, region, channel, month"
    ).df()
    forecast, consensus = fixture_forecasts(demand, cycles, horizon)
    conn.execute("create schema if not exists ml")
    for name, frame in (("forecast", forecast), ("consensus_forecast", consensus)):
        conn.register("fixture_frame", frame)
        conn.execute(f"create or replace table ml.{name} as select * from fixture_frame")
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
    forecast, consensus = fixture_forecasts(demand, [date(2026, 1, 1)], horizon=2)
    first = consensus.iloc[0]
    assert first["target_month"] == date(2026, 2, 1)
    assert first["statistical"] == (11 + 12 + 13) / 3
    assert first["naive"] == 2  # February 2025
    assert abs(first["consensus"] - first["statistical"] * 1.15) < 1e-9
    assert list(forecast["lag"]) == [1, 2]
