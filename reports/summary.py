"""The executive summary: a few plain-language sentences generated from the figures.

Management reads this and little else, so each sentence states a number, how
it moved and where it stands against its target or budget; nothing here is
free text that could drift from the tables below it.
"""

from __future__ import annotations

import pandas as pd

from reports.formatting import is_missing, kpi_change, kpi_value, money, percent
from reports.i18n import Labels

SUMMARY_KPIS = (
    "forecast_accuracy",
    "forecast_bias",
    "fill_rate",
    "otif",
    "stockout_rate",
    "days_of_supply",
    "dso",
)
"""KPIs quoted in the summary, in this order, when present."""


def kpi_sentence(kpi_table: pd.DataFrame, labels: Labels) -> str | None:
    """ "Forecast accuracy 84.0% (+3.0 pts vs last month, target 85.0%); …" for the summary KPIs."""
    by_code = kpi_table.set_index("kpi")
    phrases = []
    for code in SUMMARY_KPIS:
        if code not in by_code.index:
            continue
        row = by_code.loc[code]
        phrase = labels(
            "sum_kpi", kpi=labels(f"kpi_{code}"), value=kpi_value(code, row["value"], labels)
        )
        details = []
        if not is_missing(row["change"]):
            details.append(labels("sum_vs_prev", delta=kpi_change(code, row["change"], labels)))
        if not is_missing(row["target"]):
            details.append(labels("sum_target", target=kpi_value(code, row["target"], labels)))
        if details:
            sep = "," if labels.lang == "zh" else ", "
            open_, close = ("(", ")") if labels.lang == "zh" else (" (", ")")
            phrase += open_ + sep.join(details) + close
        phrases.append(phrase)
    if not phrases:
        return None
    return ";".join(phrases) + "。" if labels.lang == "zh" else "; ".join(phrases) + "."


def budget_sentence(budget: pd.DataFrame, labels: Labels) -> str | None:
    """Net revenue of the month and its variance to budget, month and year to date."""
    if budget.empty:
        return None
    revenue = budget.loc["revenue"]
    return labels(
        "sum_budget",
        actual=money(revenue["actual"], labels),
        pct=percent(revenue["variance_pct"], labels, signed=True),
        ytd_pct=percent(revenue["variance_ytd_pct"], labels, signed=True),
    )


def plan_sentence(total, labels: Labels, max_parts: int = 4) -> str | None:
    """Net revenue against the plan for the company, and the causes that explain the gap."""
    if total is None or not total["planned_revenue"]:
        return None
    from reports.prepare import cause_parts

    parts = cause_parts(total)[:max_parts]
    sep = "、" if labels.lang == "zh" else ", "
    listed = sep.join(
        labels("sum_part", part=labels(f"part_{part}"), amount=money(amount, labels, signed=True))
        for part, amount in parts
    )
    return labels(
        "sum_plan",
        actual=money(total["actual_revenue"], labels),
        planned=money(total["planned_revenue"], labels),
        pct=percent(total["revenue_variance_pct"], labels, signed=True),
        parts=listed or "—",
    )


def deviation_sentence(top: pd.DataFrame, labels: Labels) -> str | None:
    """The largest deviation of the month, its size and its likely cause."""
    if top.empty:
        return None
    row = top.iloc[0]
    return labels(
        "sum_deviation",
        subject=row["subject"],
        level=labels.get(f"level_{row['level']}", str(row["level"])),
        variance=money(row["revenue_variance"], labels, signed=True),
        cause=labels(f"cause_{row['likely_cause']}"),
    )


def alerts_sentence(open_alerts: pd.DataFrame, labels: Labels) -> str:
    """How many alerts are open and how many of them are critical or high."""
    severe = int(open_alerts["severity"].isin(["critical", "high"]).sum())
    return labels("sum_alerts", open=len(open_alerts), severe=severe)


def dq_sentence(latest: pd.DataFrame, labels: Labels) -> str | None:
    """Data-quality status: all passed, or how many failed and how many were critical."""
    if latest.empty:
        return None
    failed = ~latest["success"].astype(bool)
    if not failed.any():
        return labels("sum_dq_ok", n=len(latest))
    critical = int((failed & (latest["severity"] == "critical")).sum())
    return labels("sum_dq_failed", failed=int(failed.sum()), n=len(latest), critical=critical)


def executive_summary(
    kpi_table: pd.DataFrame,
    budget: pd.DataFrame,
    top: pd.DataFrame,
    open_alerts: pd.DataFrame,
    dq_latest: pd.DataFrame,
    labels: Labels,
    total=None,
) -> list[str]:
    """All summary sentences, in reading order, skipping sections without data.

    ``total`` is the company-total plan-vs-actual row (``prepare.plan_total``).
    """
    sentences = [
        kpi_sentence(kpi_table, labels),
        plan_sentence(total, labels),
        budget_sentence(budget, labels),
        deviation_sentence(top, labels),
        alerts_sentence(open_alerts, labels),
        dq_sentence(dq_latest, labels),
    ]
    return [s for s in sentences if s]
