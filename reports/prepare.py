"""Select what each section shows for the reviewed month, in display order.

Pure pandas: contract frames in, small display frames out. The business numbers
(changes, FVA, variances, ratios, year to date) come computed from the
``reports.rpt_*`` models; these functions pick the month and the window, order
the rows and count the data-quality checks.
"""

from __future__ import annotations

import pandas as pd

from reports.contract import (
    BIAS_COLUMNS,
    BUDGET_MEASURES,
    CAUSE_PARTS,
    KPI_CODES,
    REQUIRED_BUDGET_MEASURES,
    month_column,
    month_start,
)


def _with_month(frame: pd.DataFrame, col: str = "month") -> pd.DataFrame:
    out = frame.copy()
    out[col] = month_column(out, col) if len(out) else pd.to_datetime(out[col])
    return out


def _window(frame: pd.DataFrame, month, months: int, col: str = "month") -> pd.DataFrame:
    """Rows of the ``months`` months ending with ``month`` (inclusive), sorted by month."""
    end = month_start(month)
    start = end - pd.DateOffset(months=months - 1)
    framed = _with_month(frame, col)
    inside = framed[(framed[col] >= start) & (framed[col] <= end)]
    return inside.sort_values(col, kind="stable").reset_index(drop=True)


def kpi_table(kpis: pd.DataFrame, month) -> pd.DataFrame:
    """The month's KPIs in display order (``KPI_CODES``, then others by code).

    Previous month, change, gap to target and ``is_on_target`` (True, False, or None
    without a target) come from ``reports.rpt_kpis``.
    """
    framed = _with_month(kpis)
    if "grain" not in framed.columns:
        framed["grain"] = None
    table = framed[framed["month"] == month_start(month)].drop_duplicates("kpi", keep="last")
    order = {code: i for i, code in enumerate(KPI_CODES)}
    table = table.assign(_order=table["kpi"].map(order).fillna(len(order)))
    table = table.sort_values(["_order", "kpi"], kind="stable").drop(columns="_order")
    return table.reset_index(drop=True)


def forecast_window(forecast_vs_actual: pd.DataFrame, month, months: int = 18) -> pd.DataFrame:
    """Actual vs lag-1 forecast rows of the last ``months`` months."""
    return _window(forecast_vs_actual, month, months)


def accuracy_window(forecast_accuracy: pd.DataFrame, month, months: int = 12) -> pd.DataFrame:
    """Accuracy rows for the last ``months`` target months, lags 1–3."""
    window = _window(forecast_accuracy, month, months, col="target_month")
    return window[window["lag_months"].isin([1, 2, 3])].reset_index(drop=True)


def fva_month(forecast_value_added: pd.DataFrame, month) -> pd.DataFrame:
    """The report month's forecast value added, lags 1–3 in order
    (``reports.rpt_forecast_value_added`` averages the 12 target months ending with it)."""
    framed = _with_month(forecast_value_added, "report_month")
    rows = framed[
        (framed["report_month"] == month_start(month)) & framed["lag_months"].isin([1, 2, 3])
    ]
    return rows.sort_values("lag_months", kind="stable").reset_index(drop=True)


def top_deviations(deviations: pd.DataFrame, month, top_n: int = 10) -> pd.DataFrame:
    """The month's ``top_n`` deviations by absolute revenue variance, largest first.

    Rows at level ``total`` are left out: the company total is plan
    attainment, shown in the KPI and budget sections, not a deviation to dig
    into. Ties are broken by level and subject so the order is deterministic.
    """
    framed = _with_month(deviations)
    rows = framed[
        (framed["month"] == month_start(month)) & (framed["level"].astype(str) != "total")
    ].copy()
    rows["_size"] = rows["revenue_variance"].abs()
    rows = rows.sort_values(
        ["_size", "level", "subject"], ascending=[False, True, True], kind="stable"
    )
    return rows.drop(columns="_size").head(top_n).reset_index(drop=True)


def budget_summary(budget_variance: pd.DataFrame, month) -> pd.DataFrame:
    """The month's budget lines, indexed by measure in display order (``BUDGET_MEASURES``).

    Budget, actual, variance and year to date come from ``reports.rpt_budget_variance``;
    empty when the month has no rows.

    Raises
    ------
    ValueError
        When the month has some measures but not all of ``REQUIRED_BUDGET_MEASURES``.
    """
    this = month_start(month)
    framed = _with_month(budget_variance)
    current = framed[framed["month"] == this]
    if current.empty:
        return pd.DataFrame()
    missing = [m for m in REQUIRED_BUDGET_MEASURES if m not in set(current["measure"])]
    if missing:
        raise ValueError(
            f"RetrospectiveInputs.budget_variance has no {', '.join(missing)} row for {this:%Y-%m}"
        )
    lines = current.drop_duplicates("measure", keep="last").set_index("measure")
    return lines.drop(columns="month").reindex(list(BUDGET_MEASURES))


def inventory_month(inventory: pd.DataFrame, month) -> pd.DataFrame:
    """Month-end inventory position by product line for the reviewed month."""
    framed = _with_month(inventory)
    rows = framed[framed["month"] == month_start(month)]
    return rows.sort_values("product_line", kind="stable").reset_index(drop=True)


def inventory_window(inventory: pd.DataFrame, month, months: int = 12) -> pd.DataFrame:
    """Inventory rows of the last ``months`` months, for the value trend."""
    return _window(inventory, month, months)


def stockouts_month(stockouts: pd.DataFrame, month, top_n: int = 15) -> pd.DataFrame:
    """The month's stock-out SKUs, most unfilled units first."""
    framed = _with_month(stockouts)
    rows = framed[framed["month"] == month_start(month)]
    rows = rows.sort_values(["unfilled_units", "sku"], ascending=[False, True], kind="stable")
    return rows.head(top_n).reset_index(drop=True)


def cash_window(cash: pd.DataFrame, month, months: int = 12) -> pd.DataFrame:
    """Cash rows of the last ``months`` months."""
    return _window(cash, month, months)


_SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def open_alerts(alerts: pd.DataFrame, month) -> pd.DataFrame:
    """Open alerts first seen up to the reviewed cycle, most severe and oldest first."""
    framed = _with_month(alerts, "first_seen_cycle")
    rows = framed[framed["is_open"].astype(bool)]
    rows = rows[rows["first_seen_cycle"] <= month_start(month)].copy()
    rows["_rank"] = rows["severity"].map(_SEVERITY_RANK)
    rows = rows.sort_values(["_rank", "first_seen_cycle", "rule", "subject"], kind="stable").drop(
        columns="_rank"
    )
    return rows.reset_index(drop=True)


INVOCATION_KINDS = ("dbt_invocation", "dbt_invocation_subset")
"""``check_kind`` of the rows that record a dbt build as a whole: not checks, not counted."""


def dq_latest(dq_results: pd.DataFrame, month=None) -> pd.DataFrame:
    """Latest result of every check (suite × table × expectation), as the gate sees it.

    Checks run after the month they review (the report is written once the month
    has closed), so no month cut-off applies: the report shows the results its
    own run was gated on. ``month`` is accepted for callers that pass it. Rows
    recording a dbt build as a whole (``INVOCATION_KINDS``) are not checks.
    """
    framed = dq_results.copy()
    if "check_kind" in framed.columns:
        framed = framed[~framed["check_kind"].isin(INVOCATION_KINDS)]
    evaluated = pd.to_datetime(framed["evaluated_at"], utc=True)
    framed["evaluated_at"] = evaluated.dt.tz_convert(None)
    framed = framed.sort_values(["suite", "table", "expectation", "evaluated_at"], kind="stable")
    latest = framed.drop_duplicates(["suite", "table", "expectation"], keep="last")
    return latest.reset_index(drop=True)


def dq_by_suite(latest: pd.DataFrame) -> pd.DataFrame:
    """Per suite: tables, checks, passed, failed, critical failures, unexpected rows, last run.

    One row per suite keeps the section readable when a dbt build writes hundreds of
    test results; the failing checks are listed separately (``dq_failed``).
    """
    columns = [
        "suite",
        "tables",
        "table",
        "checks",
        "passed",
        "failed",
        "failed_critical",
        "unexpected",
        "evaluated_at",
    ]
    if latest.empty:
        return pd.DataFrame(columns=columns)
    failed = ~latest["success"].astype(bool)
    work = latest.assign(
        failed=failed,
        passed=~failed,
        failed_critical=failed & (latest["severity"] == "critical"),
    )
    grouped = work.groupby("suite", as_index=False).agg(
        tables=("table", "nunique"),
        table=("table", "first"),
        checks=("expectation", "size"),
        passed=("passed", "sum"),
        failed=("failed", "sum"),
        failed_critical=("failed_critical", "sum"),
        unexpected=("unexpected_count", "sum"),
        evaluated_at=("evaluated_at", "max"),
    )
    grouped = grouped.sort_values(
        ["failed_critical", "failed", "suite"], ascending=[False, False, True]
    )
    return grouped[columns].reset_index(drop=True)


def dq_failed(latest: pd.DataFrame) -> pd.DataFrame:
    """The checks whose latest result failed, critical first."""
    failed = latest[~latest["success"].astype(bool)].copy()
    failed["_rank"] = (failed["severity"] != "critical").astype(int)
    failed = failed.sort_values(["_rank", "suite", "table", "expectation"], kind="stable")
    return failed.drop(columns="_rank").reset_index(drop=True)


def plan_total(deviations: pd.DataFrame, month) -> pd.Series | None:
    """The company-total row of the month (plan, actual, variance and its causes), if any."""
    framed = _with_month(deviations)
    rows = framed[
        (framed["month"] == month_start(month)) & (framed["level"].astype(str) == "total")
    ]
    if rows.empty:
        return None
    return rows.iloc[0]


def cause_parts(row) -> list[tuple[str, float]]:
    """The non-zero cause parts of a deviation row, largest first: [(part, amount)]."""
    parts = [
        (part, float(row[f"cause_{part}_amount"]))
        for part in CAUSE_PARTS
        if not pd.isna(row[f"cause_{part}_amount"]) and float(row[f"cause_{part}_amount"]) != 0
    ]
    return sorted(parts, key=lambda item: -abs(item[1]))


def forecast_bias(deviations: pd.DataFrame, month) -> pd.DataFrame:
    """The month's product line × region rows of the forecast-bias table, largest override
    amount (``cause_override_amount``) first; empty without the ``BIAS_COLUMNS``.

    ``override_pct`` (consensus ÷ statistical − 1), ``bias_statistical`` and
    ``bias_consensus`` (forecast ÷ actual − 1) and ``has_sales_team_units`` come from
    ``reports.rpt_deviations``.
    """
    columns = [*BIAS_COLUMNS, "cause_override_amount"]
    if not set(BIAS_COLUMNS) <= set(deviations.columns):
        return pd.DataFrame(columns=columns)
    framed = _with_month(deviations)
    rows = framed[
        (framed["month"] == month_start(month))
        & (framed["level"].astype(str) == "product_line_region")
    ]
    rows = rows.assign(_size=rows["cause_override_amount"].abs()).sort_values(
        ["_size", "product_line", "region"], ascending=[False, True, True], kind="stable"
    )
    return rows[columns].reset_index(drop=True)


def attribution(top: pd.DataFrame, total) -> tuple[pd.DataFrame, list[str]]:
    """The attribution table's rows (the company total first, then ``top``) and the cause
    parts with an amount on any of them, in ``CAUSE_PARTS`` order."""
    rows = top if total is None else pd.concat([total.to_frame().T, top], ignore_index=True)
    parts = [
        part
        for part in CAUSE_PARTS
        if rows[f"cause_{part}_amount"].astype(float).fillna(0).ne(0).any()
    ]
    return rows.reset_index(drop=True), parts
