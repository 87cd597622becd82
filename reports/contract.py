"""The retrospective's input contract: one DataFrame per report section.

The caller (the monthly Dagster asset) reads the performance marts and hands
these frames over; the renderer never touches the warehouse. The columns are
declared once here, checked at render time, and a frame that breaks the
contract fails with a message naming the frame and the column.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import pandas as pd

KPI_CODES = (
    "forecast_accuracy",
    "forecast_bias",
    "fill_rate",
    "otif",
    "stockout_rate",
    "inventory_turns",
    "days_of_supply",
    "inventory_value",
    "dso",
    "cash_collected",
    "net_revenue",
)
"""KPI codes the report knows how to name and format, in display order."""

FORECAST_METHODS = ("naive", "statistical", "consensus")

LIKELY_CAUSES = (
    "consensus_override",
    "unplanned_promotion",
    "stockout_capped",
    "price_change",
    "new_item",
    "dying_item",
    "big_customer_change",
    "none_evident",
)

CAUSE_PARTS = (
    "price",
    "stockout",
    "override",
    "promotion",
    "new_item",
    "dying_item",
    "forecast_error",
)
"""The parts a deviation's variance is attributed to (``cause_<part>_amount`` columns of
``mart_plan_vs_actual``), in the order they are taken; they add up to the variance."""

CAUSE_COLUMNS = tuple(f"cause_{part}_amount" for part in CAUSE_PARTS)

BUDGET_MEASURES = ("revenue", "cogs", "gross_margin", "opex", "operating_profit")
"""The budget table's lines, in display order (``reports.rpt_budget_variance.measure``)."""
REQUIRED_BUDGET_MEASURES = BUDGET_MEASURES

ALERT_SEVERITIES = ("critical", "high", "medium", "low")
DQ_SEVERITIES = ("critical", "warning")

PVM_TOLERANCE = 0.02
"""Largest accepted gap, in currency units, between price + volume + mix and the
revenue variance (three effects, each rounded to two decimals)."""

FVA_COLUMNS = (
    "report_month",
    "lag_months",
    "months",
    "naive_accuracy",
    "statistical_accuracy",
    "consensus_accuracy",
    "fva_stat_vs_naive",
    "fva_consensus_vs_stat",
)
"""``reports.rpt_forecast_value_added``: the FVA table and chart of a report month."""

BIAS_COLUMNS = (
    "product_line",
    "region",
    "planned_units",
    "statistical_units",
    "actual_units",
    "override_pct",
    "bias_statistical",
    "bias_consensus",
    "has_sales_team_units",
)
"""Optional ``deviations`` columns of the forecast-bias table (``reports.rpt_deviations``)."""

REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "kpis": (
        "month",
        "kpi",
        "value",
        "prev_value",
        "change",
        "target",
        "vs_target",
        "higher_is_better",
        "is_on_target",
    ),
    "forecast_vs_actual": (
        "month",
        "product_line",
        "actual_units",
        "naive_units",
        "statistical_units",
        "consensus_units",
    ),
    "forecast_accuracy": (
        "target_month",
        "lag_months",
        "method",
        "wape",
        "forecast_accuracy",
        "bias",
    ),
    "forecast_value_added": FVA_COLUMNS,
    "deviations": (
        "month",
        "level",
        "subject",
        "planned_revenue",
        "actual_revenue",
        "revenue_variance",
        "revenue_variance_pct",
        "price_effect",
        "volume_effect",
        "mix_effect",
        "likely_cause",
        *CAUSE_COLUMNS,
    ),
    "budget_variance": (
        "month",
        "measure",
        "budget",
        "actual",
        "variance",
        "variance_pct",
        "budget_ytd",
        "actual_ytd",
        "variance_ytd",
        "variance_ytd_pct",
    ),
    "inventory": (
        "month",
        "product_line",
        "on_hand_units",
        "safety_stock_units",
        "target_stock_units",
        "days_of_supply",
        "inventory_value",
        "stockout_sku_count",
    ),
    "stockouts": (
        "month",
        "sku",
        "product_line",
        "ordered_units",
        "shipped_units",
        "unfilled_units",
    ),
    "cash": ("month", "net_revenue", "cash_collected", "dso", "collected_share"),
    "alerts": ("rule", "subject", "figures", "owner", "severity", "first_seen_cycle", "is_open"),
    "dq_results": (
        "suite",
        "table",
        "expectation",
        "severity",
        "success",
        "unexpected_count",
        "evaluated_at",
    ),
}

_ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("forecast_accuracy", "method"): FORECAST_METHODS,
    ("deviations", "likely_cause"): LIKELY_CAUSES,
    ("budget_variance", "measure"): BUDGET_MEASURES,
    ("alerts", "severity"): ALERT_SEVERITIES,
    ("dq_results", "severity"): DQ_SEVERITIES,
}

_NUMERIC: dict[str, tuple[str, ...]] = {
    "kpis": ("value",),
    "forecast_vs_actual": ("actual_units", "naive_units", "statistical_units", "consensus_units"),
    "forecast_accuracy": ("lag_months", "wape", "forecast_accuracy", "bias"),
    "forecast_value_added": FVA_COLUMNS[1:],
    "deviations": (
        "planned_revenue",
        "actual_revenue",
        "revenue_variance",
        "revenue_variance_pct",
        "price_effect",
        "volume_effect",
        "mix_effect",
        *CAUSE_COLUMNS,
    ),
    "budget_variance": (
        "budget",
        "actual",
        "variance",
        "variance_pct",
        "budget_ytd",
        "actual_ytd",
        "variance_ytd",
        "variance_ytd_pct",
    ),
    "inventory": (
        "on_hand_units",
        "safety_stock_units",
        "target_stock_units",
        "days_of_supply",
        "inventory_value",
        "stockout_sku_count",
    ),
    "stockouts": ("ordered_units", "shipped_units", "unfilled_units"),
    "cash": ("net_revenue", "cash_collected", "dso", "collected_share"),
    "dq_results": ("unexpected_count",),
}


class RetrospectiveInputError(ValueError):
    """An input frame breaks the retrospective's contract."""


@dataclass(frozen=True)
class RetrospectiveInputs:
    """Everything the monthly retrospective shows, one DataFrame per section.

    Months are dates on the first day of the month (``datetime.date``,
    ``pandas.Timestamp`` or ISO strings are accepted). Ratios are fractions
    (0.84, not 84). Money is in the company's one currency, which the caller
    names (``render_retrospective(currency=...)``). Frames may hold more months than the one
    reviewed: the report picks the month and the history it needs. Extra
    columns are ignored.

    Attributes
    ----------
    kpis : DataFrame
        ``month, kpi, value, prev_value, change, target, vs_target,
        higher_is_better, is_on_target`` — one row per month and KPI
        (``reports.rpt_kpis``: the month before, the gap to target and the status
        are computed there). ``kpi`` is one of ``KPI_CODES``:
        forecast_accuracy (1 − WAPE, lag 1), forecast_bias (Σ(f − a)/Σa),
        fill_rate, otif, stockout_rate (ratios), inventory_turns (per year),
        days_of_supply (days), inventory_value, cash_collected, net_revenue
        (money), dso (days); other codes are shown under their code.
        ``target`` may be null. ``higher_is_better`` is a boolean, or null
        when closest to the target (or to zero) is best, as for bias. At
        least this month and the previous one.
    forecast_vs_actual : DataFrame
        ``month, product_line, actual_units, naive_units, statistical_units,
        consensus_units`` — actual demand (ordered units) and the lag-1
        forecasts of that month by product line; the total is their sum.
        Give 12–18 months of history.
    forecast_accuracy : DataFrame
        ``target_month, lag_months, method, wape, forecast_accuracy, bias`` —
        total-level accuracy (``reports.rpt_forecast_accuracy``): ``lag_months`` in
        1, 2, 3 is months between the forecasting cycle and ``target_month``;
        ``method`` is one of naive, statistical, consensus; ``wape``, ``bias`` and
        ``forecast_accuracy`` (1 − WAPE, floored at zero) are fractions.
    forecast_value_added : DataFrame
        ``report_month, lag_months, months, naive_accuracy, statistical_accuracy,
        consensus_accuracy, fva_stat_vs_naive, fva_consensus_vs_stat`` —
        ``reports.rpt_forecast_value_added``: per report month and lag, the mean
        accuracy of each method over the 12 target months ending with it (months
        where all three were measured) and the forecast value added of each step.
    deviations : DataFrame
        ``month, level, subject, planned_revenue, actual_revenue, revenue_variance,
        revenue_variance_pct, price_effect, volume_effect, mix_effect, likely_cause`` — rows of
        ``reports.rpt_deviations``: ``level`` names the grain (product_line,
        sku, region, channel, customer_tier, customer, or a combination),
        ``subject`` the dimension values as readers know them (e.g.
        "Snacks · EAST"). Price + volume + mix must equal actual − planned
        within ``PVM_TOLERANCE``. ``likely_cause`` is one of
        ``LIKELY_CAUSES``. ``cause_price_amount, cause_stockout_amount,
        cause_override_amount, cause_promotion_amount, cause_new_item_amount,
        cause_dying_item_amount, cause_forecast_error_amount`` (``CAUSE_COLUMNS``)
        attribute the variance to price, stock-out, consensus override, promotion,
        launch, discontinuation and the statistical forecast's own error; they must add up to
        actual − planned within ``PVM_TOLERANCE``. Optional ``BIAS_COLUMNS``
        (``product_line, region, planned_units, statistical_units, actual_units,
        override_pct, bias_statistical, bias_consensus, has_sales_team_units``) feed
        the forecast-bias table, at level ``product_line_region``. The report shows the top N of the month and the
        company total (level ``total``) in the summary.
    budget_variance : DataFrame
        ``month, measure, budget, actual, variance, variance_pct, budget_ytd,
        actual_ytd, variance_ytd, variance_ytd_pct`` — ``reports.rpt_budget_variance``
        by month: ``measure`` in revenue, cogs, gross_margin, opex, operating_profit
        (all required for the month); year to date over the calendar year, as the
        model computes it.
    inventory : DataFrame
        ``month, product_line, on_hand_units, safety_stock_units,
        target_stock_units, days_of_supply, inventory_value,
        stockout_sku_count`` — month-end position by product line; several
        months give the value trend.
    stockouts : DataFrame
        ``month, sku, product_line, ordered_units, shipped_units, unfilled_units`` —
        SKUs that ran out of stock in the month (may be empty).
    cash : DataFrame
        ``month, net_revenue, cash_collected, dso, collected_share`` — monthly
        totals (``collected_share`` = cash collected ÷ net revenue), 12+ months
        for the trend.
    alerts : DataFrame
        ``rule, subject, figures, owner, severity, first_seen_cycle,
        is_open`` — ``mart_alerts`` as of the cycle: ``figures`` is the
        preformatted evidence, ``severity`` one of ``ALERT_SEVERITIES``,
        ``first_seen_cycle`` a month, ``is_open`` a boolean.
    dq_results : DataFrame
        ``suite, table, expectation, severity, success, unexpected_count,
        evaluated_at`` — ``audit.dq_results``: one row per check run;
        ``severity`` critical or warning; the latest result of each check
        (as the gate saw it when the report was written) is shown, per suite.
    """

    kpis: pd.DataFrame
    forecast_vs_actual: pd.DataFrame
    forecast_accuracy: pd.DataFrame
    forecast_value_added: pd.DataFrame
    deviations: pd.DataFrame
    budget_variance: pd.DataFrame
    inventory: pd.DataFrame
    stockouts: pd.DataFrame
    cash: pd.DataFrame
    alerts: pd.DataFrame
    dq_results: pd.DataFrame


def validate_inputs(inputs: RetrospectiveInputs) -> None:
    """Check every frame against the contract.

    Raises
    ------
    RetrospectiveInputError
        Naming the frame and the missing column, the non-numeric column, the
        unknown category value, or the deviation whose effects do not add up.
    """
    for field in fields(RetrospectiveInputs):
        name = field.name
        frame = getattr(inputs, name)
        if not isinstance(frame, pd.DataFrame):
            raise RetrospectiveInputError(
                f"RetrospectiveInputs.{name} must be a pandas DataFrame, got {type(frame).__name__}"
            )
        missing = [col for col in REQUIRED_COLUMNS[name] if col not in frame.columns]
        if missing:
            raise RetrospectiveInputError(
                f"RetrospectiveInputs.{name} is missing required column(s) {', '.join(missing)}; "
                f"required: {', '.join(REQUIRED_COLUMNS[name])}"
            )
        for col in _NUMERIC.get(name, ()):
            if len(frame) and not pd.api.types.is_numeric_dtype(frame[col]):
                raise RetrospectiveInputError(
                    f"RetrospectiveInputs.{name}.{col} must be numeric, got dtype {frame[col].dtype}"
                )
    for (name, col), allowed in _ENUMS.items():
        values = set(getattr(inputs, name)[col].dropna().astype(str))
        unknown = sorted(values - set(allowed))
        if unknown:
            raise RetrospectiveInputError(
                f"RetrospectiveInputs.{name}.{col} has unknown value(s) {unknown}; "
                f"allowed: {', '.join(allowed)}"
            )
    _check_price_volume_mix(inputs.deviations)
    _check_attribution(inputs.deviations)


def _check_price_volume_mix(deviations: pd.DataFrame) -> None:
    effects = deviations["price_effect"] + deviations["volume_effect"] + deviations["mix_effect"]
    variance = deviations["actual_revenue"] - deviations["planned_revenue"]
    gap = (effects - variance).abs()
    broken = deviations[gap > PVM_TOLERANCE]
    if len(broken):
        row = broken.iloc[0]
        raise RetrospectiveInputError(
            "RetrospectiveInputs.deviations: price + volume + mix must equal actual − planned "
            f"revenue; {len(broken)} row(s) differ, first: {row['level']} {row['subject']!r} "
            f"(gap {gap[broken.index[0]]:.2f})"
        )


def _check_attribution(deviations: pd.DataFrame) -> None:
    parts = deviations[list(CAUSE_COLUMNS)].astype(float).sum(axis=1)
    variance = deviations["actual_revenue"].astype(float) - deviations["planned_revenue"].astype(
        float
    )
    gap = (parts - variance).abs()
    broken = deviations[gap > PVM_TOLERANCE]
    if len(broken):
        row = broken.iloc[0]
        raise RetrospectiveInputError(
            "RetrospectiveInputs.deviations: the cause_*_amount parts must add up to actual − "
            f"planned revenue; {len(broken)} row(s) differ, first: {row['level']} "
            f"{row['subject']!r} (gap {gap[broken.index[0]]:.2f})"
        )


def month_start(value) -> pd.Timestamp:
    """Normalise a date-like value to the Timestamp of its month's first day."""
    return pd.Timestamp(value).to_period("M").to_timestamp()


def month_column(frame: pd.DataFrame, col: str) -> pd.Series:
    """Return ``frame[col]`` as month-start Timestamps (dates, strings or Timestamps in)."""
    # pandas-stubs type `.dt.to_timestamp()` as a DatetimeArray; on a Series pandas returns a Series.
    return pd.to_datetime(frame[col]).dt.to_period("M").dt.to_timestamp()  # type: ignore[return-value]
