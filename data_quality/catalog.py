"""The catalogue of suites: one per raw source (from its contract) and one per key mart.

Mart suites are declared here because marts have no source contract, in the
contracts' check vocabulary (:mod:`ingestion.checks`). Their column names are
those of the dbt models (``fct_order_lines`` keeps the contract names;
``fct_demand_monthly`` counts ``ordered_units``) and of ``ml.forecast``;
``tests/data_quality/test_dq_catalog_marts.py`` checks them against the dbt
model SQL so they cannot drift.
"""

from __future__ import annotations

from data_quality.suites import Suite, raw_suite
from ingestion.checks import Compare, Range, month_start
from ingestion.contracts import CONTRACTS

FCT_ORDER_LINES = Suite(
    name="fct_order_lines",
    table="marts.fct_order_lines",
    key=("order_id", "line_number"),
    required=("order_id", "line_number", "order_date", "customer_id", "sku", "ordered_qty"),
    checks=(Range("qty_positive", "ordered_qty", minimum=0, exclusive_minimum=True),),
    event_date_column="order_date",
    max_age_days=CONTRACTS["order_lines"].max_age_days,
    check_volume=False,
)

FCT_DEMAND_MONTHLY = Suite(
    name="fct_demand_monthly",
    table="marts.fct_demand_monthly",
    key=("month", "sku", "region", "channel"),
    required=("month", "sku", "region", "channel", "ordered_units"),
    checks=(
        Range("demand_non_negative", "ordered_units", minimum=0),
        month_start("month"),
    ),
    event_date_column="month",
    max_age_days=62,
    check_volume=False,
)

_FORECAST_KEY = ("cycle_month", "sku", "region", "channel", "target_month")

FORECAST = Suite(
    name="forecast",
    table="ml.forecast",
    key=_FORECAST_KEY,
    required=(*_FORECAST_KEY, "p10", "p50", "p90"),
    checks=(
        Range("p10_non_negative", "p10", minimum=0),
        Range("p50_non_negative", "p50", minimum=0),
        Range("p90_non_negative", "p90", minimum=0),
        Compare("p50_at_least_p10", "p50", ">=", "p10"),
        Compare("p90_at_least_p50", "p90", ">=", "p50"),
        Compare("target_after_cycle", "target_month", ">", "cycle_month"),
        month_start("cycle_month", "cycle_month_start"),
    ),
    event_date_column="cycle_month",
    max_age_days=31,
    check_volume=False,
)

SUITES: dict[str, Suite] = {
    **{f"raw_{name}": raw_suite(contract) for name, contract in CONTRACTS.items()},
    FCT_ORDER_LINES.name: FCT_ORDER_LINES,
    FCT_DEMAND_MONTHLY.name: FCT_DEMAND_MONTHLY,
    FORECAST.name: FORECAST,
}


def get_suite(name: str) -> Suite:
    """The suite called ``name``, naming the known suites if it is unknown."""
    try:
        return SUITES[name]
    except KeyError:
        raise KeyError(f"unknown suite {name!r}; known: {', '.join(sorted(SUITES))}") from None
