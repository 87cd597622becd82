"""The catalogue of suites: one per raw source (from its contract) and one per key mart.

Mart specs are declared here because marts have no source contract. Their
column names are those of the dbt models (``fct_order_lines`` keeps the
contract names; ``fct_demand_monthly`` counts ``ordered_units``) and of
``ml.forecast``; ``tests/data_quality/test_dq_catalog_marts.py`` checks them
against the dbt model SQL so they cannot drift.
"""

from __future__ import annotations

from dataclasses import replace

from data_quality.specs import PairCheck, RangeCheck, SqlRuleCheck, TableSpec, spec_from_contract
from ingestion.contracts import CONTRACTS

FCT_ORDER_LINES = TableSpec(
    suite_name="fct_order_lines",
    table="marts.fct_order_lines",
    key=("order_id", "line_number"),
    required=("order_id", "line_number", "order_date", "customer_id", "sku", "ordered_qty"),
    value_checks=(RangeCheck("qty_positive", "ordered_qty", min_value=0, strict_min=True),),
    event_date_column="order_date",
    max_age_days=CONTRACTS["order_lines"].max_age_days,
    check_volume=False,
)

FCT_DEMAND_MONTHLY = TableSpec(
    suite_name="fct_demand_monthly",
    table="marts.fct_demand_monthly",
    key=("month", "sku", "region", "channel"),
    required=("month", "sku", "region", "channel", "ordered_units"),
    value_checks=(
        RangeCheck("demand_non_negative", "ordered_units", min_value=0),
        SqlRuleCheck("month_start", "day(month) = 1", ("month",)),
    ),
    event_date_column="month",
    max_age_days=62,
    check_volume=False,
)

_FORECAST_KEY = ("cycle_month", "sku", "region", "channel", "target_month")

FORECAST = TableSpec(
    suite_name="forecast",
    table="ml.forecast",
    key=_FORECAST_KEY,
    required=(*_FORECAST_KEY, "p10", "p50", "p90"),
    value_checks=(
        RangeCheck("p10_non_negative", "p10", min_value=0),
        RangeCheck("p50_non_negative", "p50", min_value=0),
        RangeCheck("p90_non_negative", "p90", min_value=0),
        PairCheck("p50_at_least_p10", "p50", "p10", or_equal=True),
        PairCheck("p90_at_least_p50", "p90", "p50", or_equal=True),
        PairCheck("target_after_cycle", "target_month", "cycle_month", or_equal=False),
        SqlRuleCheck("cycle_month_start", "day(cycle_month) = 1", ("cycle_month",)),
    ),
    event_date_column="cycle_month",
    max_age_days=31,
    check_volume=False,
)

MONTH_DATED_SOURCES = ("gl_actuals", "sales_team_forecast")
"""Sources whose event date is a month's first day: the row covers the whole month."""
DAYS_IN_LONGEST_MONTH = 31


def raw_spec(name: str) -> TableSpec:
    """The suite of ``raw.<name>`` from its contract.

    A month-dated source's freshness is measured from the end of its newest
    month: its allowed age grows by a month, otherwise the December GL or the
    December sales-team forecast would count as stale on 12 January. It has no
    business days to check for completeness.
    """
    spec = spec_from_contract(CONTRACTS[name])
    if name in MONTH_DATED_SOURCES:
        spec = replace(spec, check_completeness=False)
    if name in MONTH_DATED_SOURCES and spec.max_age_days is not None:
        spec = replace(spec, max_age_days=spec.max_age_days + DAYS_IN_LONGEST_MONTH)
    return spec


SUITES: dict[str, TableSpec] = {
    **{f"raw_{name}": raw_spec(name) for name in CONTRACTS},
    FCT_ORDER_LINES.suite_name: FCT_ORDER_LINES,
    FCT_DEMAND_MONTHLY.suite_name: FCT_DEMAND_MONTHLY,
    FORECAST.suite_name: FORECAST,
}


def get_spec(suite_name: str) -> TableSpec:
    """Return the spec of ``suite_name``, naming the known suites if it is unknown."""
    try:
        return SUITES[suite_name]
    except KeyError:
        raise KeyError(
            f"unknown suite {suite_name!r}; known: {', '.join(sorted(SUITES))}"
        ) from None
