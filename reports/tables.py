"""HTML tables of the report, built from the display frames of ``reports.prepare``.

Every value is HTML-escaped; numbers are right-aligned and formatted for the
report's language.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from reports.formatting import DASH, is_missing, kpi_change, kpi_value, money, number, percent
from reports.i18n import Labels

Cell = str | tuple[str, str]
"""A cell: plain text, or (text, css class)."""


def html_table(headers: list[Cell], rows: list[list[Cell]], css_class: str = "") -> str:
    """Render headers and rows as an escaped HTML table."""

    def cell(tag: str, value: Cell) -> str:
        text, cls = (value, "") if isinstance(value, str) else value
        attr = f' class="{cls}"' if cls else ""
        return f"<{tag}{attr}>{escape(text)}</{tag}>"

    head = "".join(cell("th", h) for h in headers)
    body = "\n".join("<tr>" + "".join(cell("td", c) for c in row) + "</tr>" for row in rows)
    cls = f' class="{css_class}"' if css_class else ""
    return f"<table{cls}>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _num(text: str, extra: str = "") -> tuple[str, str]:
    return text, f"num {extra}".strip()


def _tone(value, good_when_positive: bool | None) -> str:
    """CSS class colouring a change: good (green), bad (red) or neutral."""
    if is_missing(value) or good_when_positive is None or value == 0:
        return ""
    return "good" if (value > 0) == good_when_positive else "bad"


def kpi_table_html(table: pd.DataFrame, labels: Labels) -> str:
    """KPI summary: this month, previous month, change, target, gap and status."""
    headers = [
        labels("col_kpi"),
        _num(labels("col_this_month")),
        _num(labels("col_prev_month")),
        _num(labels("col_change")),
        _num(labels("col_target")),
        _num(labels("col_vs_target")),
        labels("col_status"),
    ]
    rows = []
    for row in table.itertuples():
        direction = None if pd.isna(row.higher_is_better) else bool(row.higher_is_better)
        status = {
            True: (labels("status_on_target"), "badge good"),
            False: (labels("status_off_target"), "badge bad"),
            None: (labels("status_no_target"), "badge muted"),
        }[row.status]
        rows.append(
            [
                labels.get(f"kpi_{row.kpi}", str(row.kpi)),
                _num(kpi_value(row.kpi, row.value, labels), "strong"),
                _num(kpi_value(row.kpi, row.prev_value, labels)),
                _num(kpi_change(row.kpi, row.change, labels), _tone(row.change, direction)),
                _num(kpi_value(row.kpi, row.target, labels)),
                _num(kpi_change(row.kpi, row.vs_target, labels), _tone(row.vs_target, direction)),
                status,
            ]
        )
    return html_table(headers, rows, "kpis")


def fva_table_html(summary: pd.DataFrame, labels: Labels) -> str:
    """Average accuracy by lag and method, and the two FVA figures."""
    headers = [
        labels("col_lag"),
        _num(labels("col_months")),
        _num(labels("method_naive")),
        _num(labels("method_statistical")),
        _num(labels("method_consensus")),
        _num("FVA " + labels("fva_stat_vs_naive")),
        _num("FVA " + labels("fva_consensus_vs_stat")),
    ]
    rows = [
        [
            labels("lag_n", n=int(row.lag)),
            _num(str(int(row.months))),
            _num(percent(row.naive_accuracy)),
            _num(percent(row.statistical_accuracy)),
            _num(percent(row.consensus_accuracy)),
            _num(
                f"{row.fva_stat_vs_naive * 100:+.1f}".replace("-", "−"),
                _tone(row.fva_stat_vs_naive, True),
            ),
            _num(
                f"{row.fva_consensus_vs_stat * 100:+.1f}".replace("-", "−"),
                _tone(row.fva_consensus_vs_stat, True),
            ),
        ]
        for row in summary.itertuples()
    ]
    return html_table(headers, rows)


def deviations_table_html(top: pd.DataFrame, labels: Labels) -> str:
    """The largest deviations with their price / volume / mix split and likely cause."""
    headers = [
        "#",
        labels("col_level"),
        labels("col_subject"),
        _num(labels("col_planned_revenue")),
        _num(labels("col_actual_revenue")),
        _num(labels("col_variance")),
        _num(labels("col_price_effect")),
        _num(labels("col_volume_effect")),
        _num(labels("col_mix_effect")),
        labels("col_likely_cause"),
    ]
    rows = []
    for rank, row in enumerate(top.itertuples(), start=1):
        cause = str(row.likely_cause)
        rows.append(
            [
                _num(str(rank)),
                labels.get(f"level_{row.level}", str(row.level)),
                str(row.subject),
                _num(money(row.planned_revenue, labels)),
                _num(money(row.actual_revenue, labels)),
                _num(money(row.variance, labels, signed=True), _tone(row.variance, True)),
                _num(money(row.price_effect, labels, signed=True)),
                _num(money(row.volume_effect, labels, signed=True)),
                _num(money(row.mix_effect, labels, signed=True)),
                (labels(f"cause_{cause}"), "muted" if cause == "none_evident" else "cause"),
            ]
        )
    return html_table(headers, rows)


def budget_table_html(summary: pd.DataFrame, labels: Labels) -> str:
    """Budget vs actual per measure, month and year to date."""
    month_label, ytd_label = labels("this_month"), labels("ytd")
    headers = [labels("col_measure")] + [
        _num(f"{period} · {labels(col)}")
        for period in (month_label, ytd_label)
        for col in ("col_budget", "col_actual", "col_variance", "col_variance_pct")
    ]
    cost_lines = {"cogs", "opex"}
    rows = []
    for measure, row in summary.iterrows():
        cells: list[Cell] = [labels(f"measure_{measure}")]
        for period in ("month", "ytd"):
            budget, actual = row[f"{period}_budget"], row[f"{period}_actual"]
            variance = actual - budget
            pct = variance / abs(budget) if budget else float("nan")
            good = measure not in cost_lines
            cells += [
                _num(money(budget, labels)),
                _num(money(actual, labels)),
                _num(money(variance, labels, signed=True), _tone(variance, good)),
                _num(percent(pct, signed=True), _tone(variance, good)),
            ]
        rows.append(cells)
    return html_table(headers, rows)


def inventory_table_html(month_rows: pd.DataFrame, labels: Labels) -> str:
    """Inventory position by product line: stock, safety stock, target, days of supply, value."""
    headers = [
        labels("col_product_line"),
        _num(labels("col_on_hand")),
        _num(labels("series_safety_stock")),
        _num(labels("series_target_stock")),
        _num(labels("col_days_of_supply")),
        _num(labels("col_inventory_value")),
        _num(labels("col_stockout_skus")),
    ]
    rows = [
        [
            str(row.product_line),
            _num(
                number(row.on_hand_units),
                "bad" if row.on_hand_units < row.safety_stock_units else "",
            ),
            _num(number(row.safety_stock_units)),
            _num(number(row.target_stock_units)),
            _num(number(row.days_of_supply, 1)),
            _num(money(row.inventory_value, labels)),
            _num(number(row.stockout_sku_count), "bad" if row.stockout_sku_count > 0 else ""),
        ]
        for row in month_rows.itertuples()
    ]
    return html_table(headers, rows)


def stockouts_table_html(rows_frame: pd.DataFrame, labels: Labels) -> str:
    """The month's stock-out SKUs with ordered, shipped and unfilled units."""
    headers = [
        labels("col_sku"),
        labels("col_product_line"),
        _num(labels("col_ordered_units")),
        _num(labels("col_shipped_units")),
        _num(labels("col_unfilled_units")),
    ]
    rows = [
        [
            str(row.sku),
            str(row.product_line),
            _num(number(row.ordered_units)),
            _num(number(row.shipped_units)),
            _num(number(row.unfilled_units), "bad"),
        ]
        for row in rows_frame.itertuples()
    ]
    return html_table(headers, rows)


def alerts_table_html(alerts: pd.DataFrame, labels: Labels) -> str:
    """Open alerts with rule, subject, figures, owner, severity and first-seen cycle."""
    headers = [
        labels("col_severity"),
        labels("col_rule"),
        labels("col_subject"),
        labels("col_figures"),
        labels("col_owner"),
        labels("col_first_seen"),
    ]
    rows = [
        [
            (labels(f"severity_{row.severity}"), f"badge sev-{row.severity}"),
            str(row.rule),
            str(row.subject),
            str(row.figures),
            str(row.owner),
            f"{pd.Timestamp(row.first_seen_cycle):%Y-%m}",
        ]
        for row in alerts.itertuples()
    ]
    return html_table(headers, rows)


def dq_tables_html(by_suite: pd.DataFrame, latest: pd.DataFrame, labels: Labels) -> str:
    """Data-quality status per suite and table, then the list of failed checks."""
    headers = [
        labels("col_suite"),
        labels("col_table"),
        _num(labels("col_checks")),
        _num(labels("col_failed")),
        _num(labels("col_failed_critical")),
        _num(labels("col_unexpected")),
        labels("col_evaluated_at"),
    ]
    rows = [
        [
            str(row.suite),
            str(row.table),
            _num(number(row.checks)),
            _num(number(row.failed), "bad" if row.failed else "good"),
            _num(number(row.failed_critical), "bad" if row.failed_critical else ""),
            _num(number(row.unexpected)),
            f"{pd.Timestamp(row.evaluated_at):%Y-%m-%d %H:%M}",
        ]
        for row in by_suite.itertuples()
    ]
    parts = [html_table(headers, rows)]
    failed = latest[~latest["success"].astype(bool)]
    if failed.empty:
        parts.append(f'<p class="good">{escape(labels("dq_all_passed"))}</p>')
    else:
        failed = failed.sort_values(["severity", "suite", "table", "expectation"])
        parts.append(f"<h3>{escape(labels('dq_failed_list'))}</h3>")
        fail_headers = [
            labels("col_severity"),
            labels("col_suite"),
            labels("col_table"),
            labels("col_expectation"),
            _num(labels("col_unexpected")),
        ]
        fail_rows = [
            [
                (labels(f"severity_{row.severity}"), f"badge sev-{row.severity}"),
                str(row.suite),
                str(row.table),
                str(row.expectation),
                _num(number(row.unexpected_count) if not is_missing(row.unexpected_count) else DASH),
            ]
            for row in failed.itertuples()
        ]
        parts.append(html_table(fail_headers, fail_rows))
    return "\n".join(parts)
