"""An alert's evidence as a sentence in the report's language and number format."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from reports.formatting import DASH, day, is_missing, money, number, percent
from reports.i18n import Labels

ALERT_RULES = frozenset(
    {
        "a_item_forecast_error",
        "persistent_bias",
        "projected_stockout",
        "budget_gap",
        "dq_critical_failure",
    }
)
"""Rules whose evidence the report words itself (label ``alert_<rule>``)."""


def alert_evidence(row: Mapping[str, Any], labels: Labels) -> str:
    """The alert's ``evidence_*`` values worded for the reader; the mart's preformatted
    ``figures`` when the row carries no evidence values or its rule has no wording."""
    values: list[Any] = [row.get(f"evidence_{i}") for i in range(1, 5)]
    if all(is_missing(v) for v in values) or row["rule"] not in ALERT_RULES:
        return str(row["figures"])
    e1, e2, e3, e4 = values
    when = row.get("evidence_date")
    has_date = when is not None and not pd.isna(when)
    month = labels.month(when) if has_date else DASH
    texts = {
        "a_item_forecast_error": lambda: labels(
            "alert_a_item_forecast_error",
            wape=percent(e1, labels),
            band=percent(e2, labels),
            forecast=number(e3, labels),
            actual=number(e4, labels),
        ),
        "persistent_bias": lambda: labels(
            "alert_persistent_bias",
            bias=percent(e1, labels, signed=True),
            months=number(e2, labels),
            direction=labels("over_forecast" if float(e1) > 0 else "under_forecast"),
        ),
        "projected_stockout": lambda: labels(
            "alert_projected_stockout",
            month=month,
            ahead=number(e1, labels),
            value=money(e2, labels),
        ),
        "budget_gap": lambda: labels(
            "alert_budget_gap",
            actual=money(e1, labels),
            budget=money(e2, labels),
            pct=percent(e3, labels, signed=True),
        ),
        "dq_critical_failure": lambda: labels(
            "alert_dq_critical_failure",
            suite=str(row.get("evidence_text") or DASH),
            rows=number(e1, labels),
            at=day(when, labels) if has_date else DASH,
        ),
    }
    return texts[row["rule"]]()
