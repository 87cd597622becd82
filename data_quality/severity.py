"""Severity of every data-quality check, declared in one place.

A ``critical`` check is blocking: the plans, the monthly report and the
publish step must not run on data that failed it. A ``warning`` is recorded
in ``audit.dq_results`` and shown in the report, but blocks nothing.

The default comes from the kind of check; the few exceptions are listed per
suite in ``SEVERITY_OVERRIDES``. Change severities here and nowhere else.
"""

from __future__ import annotations

from typing import Literal

Severity = Literal["critical", "warning"]
CheckKind = Literal[
    "schema",
    "unique_key",
    "not_null",
    "range",
    "rule",
    "freshness",
    "volume",
    "completeness",
    "ingest",
]

CRITICAL: Severity = "critical"
WARNING: Severity = "warning"

DEFAULT_SEVERITY: dict[CheckKind, Severity] = {
    # The table does not have the columns the platform reads.
    "schema": CRITICAL,
    # Duplicate keys double-count demand, revenue and stock.
    "unique_key": CRITICAL,
    # A missing required field cannot be placed in the hierarchy or priced.
    "not_null": CRITICAL,
    # Negative quantities, discounts outside [0, 1), P10 > P50 ...
    "range": CRITICAL,
    # Other contract row rules (month starts, date order, either-or fields).
    "rule": CRITICAL,
    # A plan built on a source that stopped arriving silently misses demand.
    "freshness": CRITICAL,
    # A sharp drop or spike can be real (holidays, a lost customer, Double 11): flag it,
    # do not block.
    "volume": WARNING,
    # A missing business day inside the recent window (see data_quality.completeness).
    "completeness": WARNING,
    # A landing file rejected as a whole: the warehouse lacks its rows.
    "ingest": CRITICAL,
}

SEVERITY_OVERRIDES: dict[tuple[str, CheckKind], Severity] = {
    # Read only by the retrospective (variance, cash, DSO), not by the plans:
    # a late month close or a late receipts file must not hold the plans back.
    ("raw_gl_actuals", "freshness"): WARNING,
    ("raw_invoices", "freshness"): WARNING,
    ("raw_cash_receipts", "freshness"): WARNING,
    ("raw_returns", "freshness"): WARNING,
}


def severity_for(suite_name: str, kind: CheckKind) -> Severity:
    """Return the severity of a check of ``kind`` in suite ``suite_name``.

    Parameters
    ----------
    suite_name : str
        Suite name, e.g. ``"raw_order_lines"`` or ``"fct_demand_monthly"``.
    kind : CheckKind
        The kind of check.
    """
    return SEVERITY_OVERRIDES.get((suite_name, kind), DEFAULT_SEVERITY[kind])
