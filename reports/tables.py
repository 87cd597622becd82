"""HTML tables of the report, built from the display frames of ``reports.prepare``.

Every value is HTML-escaped; numbers are right-aligned and formatted for the
report's language.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from reports.contract import CAUSE_PARTS
from reports.formatting import DASH, is_missing, kpi_change, kpi_value, money, number, percent
from reports.i18n import Labels

Cell = str | tuple[str, str] | tuple[str, str, dict[str, str]]
"""A cell: plain text, (text, css class) or (text, css class, data attributes)."""


def html_table(headers: list[Cell], rows: list[list[Cell]], css_class: str = "") -> str:
    """Render headers and rows as an escaped HTML table."""

    def cell(tag: str, value: Cell) -> str:
        text, cls, data = (value, "", {}) if isinstance(value, str) else (*value, {})[:3]
        attr = f' class="{cls}"' if cls else ""
        attr += "".join(f' data-{escape(k)}="{escape(v)}"' for k, v in data.items())
        return f"<{tag}{attr}>{escape(text)}</{tag}>"

    head = "".join(cell("th", h) for h in headers)
    body = "\n".join("<tr>" + "".join(cell("td", c) for c in row) + "</tr>" for row in rows)
    cls = f' class="{css_class}"' if css_class else ""
    return f"<table{cls}>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _num(text: str, extra: str = "") -> tuple[str, str]:
    return text, f"num {extra}".strip()


def _amount(value, labels: Labels, extra: str = "", signed: bool = True) -> Cell:
    """A money cell: the formatted amount, with the exact value in ``data-value``."""
    raw = "" if is_missing(value) else f"{float(value):.2f}"
    return money(value, labels, signed=signed), f"num {extra}".strip(), {"value": raw}


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
        labels("col_grain"),
    ]
    rows = []
    for row in table.itertuples():
        direction = None if pd.isna(row.higher_is_better) else bool(row.higher_is_better)
        status = {
            True: (labels("status_on_target"), "badge good"),
            False: (labels("status_off_target"), "badge bad"),
            None: (labels("status_no_target"), "badge muted"),
        }[None if pd.isna(row.is_on_target) else bool(row.is_on_target)]
        rows.append(
            [
                labels.get(f"kpi_{row.kpi}", str(row.kpi)),
                _num(kpi_value(row.kpi, row.value, labels), "strong"),
                _num(kpi_value(row.kpi, row.prev_value, labels)),
                _num(kpi_change(row.kpi, row.change, labels), _tone(row.change, direction)),
                _num(kpi_value(row.kpi, row.target, labels)),
                _num(kpi_change(row.kpi, row.vs_target, labels), _tone(row.vs_target, direction)),
                status,
                (_grain(row.kpi, row.grain, labels), "muted grain"),
            ]
        )
    return html_table(headers, rows, "kpis")


def _grain(kpi: str, grain, labels: Labels) -> str:
    """What one value of the KPI counts, in the report's language (the seed's text otherwise)."""
    fallback = DASH if is_missing(grain) or grain is None else str(grain)
    return labels.get(f"grain_{kpi}", fallback)


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


def attribution_table_html(top: pd.DataFrame, total, labels: Labels) -> str:
    """What explains each deviation: the variance split into its cause parts (they add up).

    One column per part with an amount on any row shown; the company total leads.
    """
    rows_frame = top if total is None else pd.concat([total.to_frame().T, top], ignore_index=True)
    parts = [
        part
        for part in CAUSE_PARTS
        if rows_frame[f"cause_{part}_amount"].astype(float).fillna(0).ne(0).any()
    ]
    headers = [labels("col_subject"), _num(labels("col_variance"))]
    headers += [_num(labels(f"part_{part}")) for part in parts]
    rows = []
    for row in rows_frame.to_dict("records"):
        level = labels.get(f"level_{row['level']}", str(row["level"]))
        cells: list[Cell] = [
            f"{row['subject']} ({level})" if row["level"] != "total" else labels("plan_total")
        ]
        cells.append(_amount(row["variance"], labels, "variance strong"))
        cells += [
            _amount(row[f"cause_{part}_amount"], labels, f"part part-{part}") for part in parts
        ]
        rows.append(cells)
    return html_table(headers, rows, "attribution")


def bias_table_html(bias: pd.DataFrame, labels: Labels) -> str:
    """Statistical vs consensus by product line × region, the override's amount and its author."""
    headers = [
        labels("col_product_line"),
        labels("col_region"),
        _num(labels("method_statistical")),
        _num(labels("method_consensus")),
        _num(labels("col_actual_units")),
        _num(labels("col_override_pct")),
        _num(labels("col_bias_statistical")),
        _num(labels("col_bias_consensus")),
        _num(labels("part_override")),
        labels("col_submitted_by"),
    ]
    rows = [
        [
            str(row.product_line),
            str(row.region),
            _num(number(row.statistical_units)),
            _num(number(row.consensus_units)),
            _num(number(row.actual_units)),
            _num(percent(row.override_pct, signed=True)),
            _num(percent(row.bias_statistical, signed=True)),
            _num(percent(row.bias_consensus, signed=True)),
            _amount(row.override_amount, labels),
            labels("submitted_sales_team", region=row.region)
            if row.sales_team
            else labels("submitted_statistical"),
        ]
        for row in bias.itertuples()
    ]
    return html_table(headers, rows, "bias")


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
        for period in ("", "_ytd"):
            budget, actual = row[f"budget{period}"], row[f"actual{period}"]
            variance, pct = row[f"variance{period}"], row[f"variance{period}_pct"]
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
            labels.get(f"rule_{row.rule}", str(row.rule)),
            str(row.subject),
            alert_evidence(row, labels),
            str(row.owner),
            f"{pd.Timestamp(row.first_seen_cycle):%Y-%m}",
        ]
        for row in alerts.itertuples()
    ]
    return html_table(headers, rows)


def alert_evidence(row, labels: Labels) -> str:
    """An alert's evidence in the report's language and number format (``evidence_*`` columns);
    the mart's preformatted ``figures`` only when the frame carries no evidence values."""
    values = {f"e{i}": getattr(row, f"evidence_{i}", None) for i in range(1, 5)}
    if all(is_missing(v) for v in values.values()) or f"alert_{row.rule}" not in _ALERT_RULES:
        return str(row.figures)
    e1, e2, e3, e4 = values.values()
    when = getattr(row, "evidence_date", None)
    has_date = when is not None and not pd.isna(when)
    month = labels.month(pd.Timestamp(when)) if has_date else DASH
    texts = {
        "a_item_forecast_error": lambda: labels(
            "alert_a_item_forecast_error",
            wape=percent(e1),
            band=percent(e2),
            forecast=number(e3),
            actual=number(e4),
        ),
        "persistent_bias": lambda: labels(
            "alert_persistent_bias",
            bias=percent(e1, signed=True),
            months=number(e2),
            direction=labels("over_forecast" if e1 > 0 else "under_forecast"),
        ),
        "projected_stockout": lambda: labels(
            "alert_projected_stockout", month=month, ahead=number(e1), value=money(e2, labels)
        ),
        "budget_gap": lambda: labels(
            "alert_budget_gap",
            actual=money(e1, labels),
            budget=money(e2, labels),
            pct=percent(e3, signed=True),
        ),
        "dq_critical_failure": lambda: labels(
            "alert_dq_critical_failure",
            suite=str(getattr(row, "evidence_text", "") or DASH),
            rows=number(e1),
            at=f"{pd.Timestamp(when):%Y-%m-%d}" if has_date else DASH,
        ),
    }
    return texts[row.rule]()


_ALERT_RULES = frozenset(
    {
        "alert_a_item_forecast_error",
        "alert_persistent_bias",
        "alert_projected_stockout",
        "alert_budget_gap",
        "alert_dq_critical_failure",
    }
)


def dq_tables_html(by_suite: pd.DataFrame, failed: pd.DataFrame, labels: Labels) -> str:
    """Data-quality status per suite (checks passed and failed), then the failing checks."""
    headers = [
        labels("col_suite"),
        labels("col_table"),
        _num(labels("col_checks")),
        _num(labels("col_passed")),
        _num(labels("col_failed")),
        _num(labels("col_failed_critical")),
        _num(labels("col_unexpected")),
        labels("col_evaluated_at"),
    ]
    rows = [
        [
            str(row.suite),
            str(row.table) if row.tables == 1 else labels("n_tables", n=int(row.tables)),
            _num(number(row.checks)),
            _num(number(row.passed)),
            _num(number(row.failed), "bad" if row.failed else "good"),
            _num(number(row.failed_critical), "bad" if row.failed_critical else ""),
            _num(number(row.unexpected)),
            f"{pd.Timestamp(row.evaluated_at):%Y-%m-%d %H:%M}",
        ]
        for row in by_suite.itertuples()
    ]
    parts = [html_table(headers, rows, "dq-suites")]
    if failed.empty:
        parts.append(f'<p class="good">{escape(labels("dq_all_passed"))}</p>')
    else:
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
                _num(
                    number(row.unexpected_count) if not is_missing(row.unexpected_count) else DASH
                ),
            ]
            for row in failed.itertuples()
        ]
        parts.append(html_table(fail_headers, fail_rows, "dq-failed"))
    return "\n".join(parts)
