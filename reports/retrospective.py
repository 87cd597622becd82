"""The monthly retrospective (每月复盘): render and write the self-contained HTML report.

The caller queries the performance marts and passes a ``RetrospectiveInputs``;
this module validates it, prepares each section, draws the figures and
assembles one HTML file that opens offline.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from markupsafe import Markup

from reports import prepare
from reports.contract import (
    RetrospectiveInputError,
    RetrospectiveInputs,
    month_start,
    validate_inputs,
)
from reports.figures.finance import budget_waterfall_figure, cash_figure, deviations_figure
from reports.figures.forecast import (
    accuracy_by_lag_figure,
    forecast_by_line_figure,
    forecast_total_figure,
    fva_figure,
)
from reports.figures.inventory import inventory_position_figure, inventory_value_figure
from reports.formatting import month_code
from reports.i18n import Labels
from reports.page import Section, figure_html, index_html, page_html
from reports.scenarios import ScenarioInputs, scenario_section_html
from reports.scenarios import text as scenario_text
from reports.summary import executive_summary
from reports.templating import records

__all__ = [
    "FIGURE_IDS",
    "RetrospectiveInputError",
    "RetrospectiveInputs",
    "render_retrospective",
    "report_filename",
    "write_index",
    "write_retrospective",
]

FIGURE_IDS = (
    "fig-forecast-total",
    "fig-forecast-by-line",
    "fig-accuracy-by-lag",
    "fig-fva",
    "fig-deviations",
    "fig-budget-waterfall",
    "fig-inventory-position",
    "fig-inventory-value",
    "fig-cash",
)
"""Div ids of the report's figures, in page order (a section whose sources the company does
not send has none of its figures)."""

PARTIAL_SECTIONS = ("kpis",)
"""Sections that keep what they can show when a source is missing (e.g. forecast KPIs without
shipments); every other section with a missing source shows only what it needs."""


def render_retrospective(
    inputs: RetrospectiveInputs,
    month: date,
    lang: str = "zh",
    title: str | None = None,
    *,
    company: str = "",
    currency: str | None = None,
    top_n: int = 10,
    history_months: int = 18,
    sample: bool = False,
    missing_sources: Mapping[str, tuple[str, ...]] | None = None,
    scenarios: ScenarioInputs | None = None,
) -> str:
    """Render the retrospective of ``month`` as one self-contained HTML document.

    Parameters
    ----------
    inputs : RetrospectiveInputs
        The section frames (see its docstring for the contract).
    month : date
        The month reviewed (any day of it); its planning cycle is "as of" its end.
    lang : {"zh", "en"}
        Label language.
    title : str, optional
        Page title; defaults to the translated report title.
    company : str
        Company name for the header (none shown when empty).
    currency : str, optional
        ISO 4217 code of the company's currency: amounts carry its symbol and money
        axes name it. None shows amounts without a currency.
    top_n : int
        How many of the largest deviations to list.
    history_months : int
        Months of forecast-vs-actual history to chart (12 for accuracy and trends).
    sample : bool
        Mark the page as synthetic sample data.
    missing_sources : mapping, optional
        Section anchor -> the sources it needs that the company does not send
        (``orchestration.capabilities.missing_by_report_section``). Such a section
        says which sources it needs instead of showing "no data" or numbers.
    scenarios : ScenarioInputs, optional
        The cycle's options and approvals (:mod:`reports.scenarios`); with them the page has a
        section comparing the scenarios side by side.

    Returns
    -------
    str
        The HTML; the same inputs give the same bytes.

    Raises
    ------
    RetrospectiveInputError
        When a frame breaks the contract (the message names the frame and column).
    """
    labels = Labels(lang, currency)
    validate_inputs(inputs)
    this = month_start(month)
    title = title or labels("report_title")

    kpi_table = prepare.kpi_table(inputs.kpis, this)
    forecast = prepare.forecast_window(inputs.forecast_vs_actual, this, history_months)
    accuracy = prepare.accuracy_window(inputs.forecast_accuracy, this, 12)
    fva = prepare.fva_month(inputs.forecast_value_added, this)
    top = prepare.top_deviations(inputs.deviations, this, top_n)
    total = prepare.plan_total(inputs.deviations, this)
    bias = prepare.forecast_bias(inputs.deviations, this)
    try:
        budget = prepare.budget_summary(inputs.budget_variance, this)
    except ValueError as err:
        raise RetrospectiveInputError(str(err)) from None
    inventory_now = prepare.inventory_month(inputs.inventory, this)
    inventory_trend = prepare.inventory_window(inputs.inventory, this, 12)
    stockouts = prepare.stockouts_month(inputs.stockouts, this)
    cash = prepare.cash_window(inputs.cash, this, 12)
    alerts = prepare.open_alerts(inputs.alerts, this)
    dq_latest = prepare.dq_latest(inputs.dq_results)
    dq_suites = prepare.dq_by_suite(dq_latest)
    dq_failed = prepare.dq_failed(dq_latest)

    def fig(div_id: str, figure):
        assert div_id in FIGURE_IDS, div_id
        return figure_html(figure, div_id)

    cash_now = cash.loc[cash["month"] == this, "collected_share"]
    collected_share = cash_now.iloc[0] if len(cash_now) else None
    attribution, parts = prepare.attribution(top, total)

    sections = [
        Section(
            "summary",
            labels("sec_summary"),
            {
                "sentences": executive_summary(
                    kpi_table, budget, top, alerts, dq_latest, labels, total
                )
            },
        ),
        Section("kpis", labels("sec_kpis"), {"kpis": records(kpi_table)}),
        Section(
            "forecast",
            labels("sec_forecast"),
            {
                "fig_total": fig("fig-forecast-total", forecast_total_figure(forecast, labels)),
                "fig_by_line": fig(
                    "fig-forecast-by-line", forecast_by_line_figure(forecast, labels)
                ),
            },
        ),
        Section(
            "accuracy",
            labels("sec_accuracy"),
            {
                "fig_accuracy": fig(
                    "fig-accuracy-by-lag", accuracy_by_lag_figure(accuracy, labels)
                ),
                "fig_fva": fig("fig-fva", fva_figure(fva, labels)),
                "fva": records(fva),
            },
        ),
        Section(
            "deviations",
            labels("sec_deviations"),
            {
                "fig_deviations": fig("fig-deviations", deviations_figure(top, labels)),
                "top": records(top),
                "top_n": top_n,
                "attribution": records(attribution),
                "parts": parts,
                "bias": records(bias),
            },
        ),
        Section(
            "budget",
            labels("sec_budget"),
            {
                "fig_waterfall": fig(
                    "fig-budget-waterfall", budget_waterfall_figure(budget, labels)
                ),
                "budget": records(budget.rename_axis("measure").reset_index()),
            },
        ),
        Section(
            "inventory",
            labels("sec_inventory"),
            {
                "fig_position": fig(
                    "fig-inventory-position", inventory_position_figure(inventory_now, labels)
                ),
                "fig_value": fig(
                    "fig-inventory-value", inventory_value_figure(inventory_trend, labels)
                ),
                "inventory": records(inventory_now),
                "stockouts": records(stockouts),
            },
        ),
        Section(
            "cash",
            labels("sec_cash"),
            {
                "fig_cash": fig("fig-cash", cash_figure(cash, labels)),
                "collected_share": collected_share,
            },
        ),
        Section(
            "alerts",
            labels("sec_alerts"),
            {
                "alerts": records(alerts),
                "new_alerts": int((alerts["first_seen_cycle"] == this).sum()),
            },
        ),
        Section(
            "data-quality",
            labels("sec_dq"),
            {"checks": len(dq_latest), "suites": records(dq_suites), "failed": records(dq_failed)},
        ),
    ]
    if scenarios is not None:
        sections.append(
            Section(
                "scenarios",
                scenario_text(labels, "section_title"),
                {"html": Markup(scenario_section_html(scenarios, labels))},
            )
        )
    meta = [(labels("company"), company)] if company else []
    meta += [
        (labels("month"), labels.month(this)),
        (
            labels("cycle"),
            f"{month_code(this, labels)} · " + labels("cycle_note", month=labels.month(this)),
        ),
    ]
    return page_html(
        title=title,
        labels=labels,
        meta=meta,
        sections=sections,
        sample=sample,
        missing_sources=missing_sources,
        partial_sections=PARTIAL_SECTIONS,
    )


def report_filename(month: date) -> str:
    """File name of a month's report: ``retrospective_YYYY-MM.html``."""
    return f"retrospective_{month_start(month):%Y-%m}.html"


def write_retrospective(
    inputs: RetrospectiveInputs,
    month: date,
    out_dir: Path,
    lang: str = "zh",
    **render_options,
) -> Path:
    """Render the month's report into ``out_dir`` and refresh the index beside it.

    ``render_options`` go to :func:`render_retrospective` (``company``,
    ``currency``, ``top_n``…).

    Re-running for the same month replaces the file; the write goes through a
    temporary file and a rename, so a reader never sees half a report.

    Returns
    -------
    Path
        The written ``retrospective_YYYY-MM.html``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    html = render_retrospective(inputs, month, lang, **render_options)
    path = out_dir / report_filename(month)
    _atomic_write(path, html)
    write_index(out_dir, lang)
    return path


_REPORT_NAME = re.compile(r"^retrospective_(\d{4})-(\d{2})\.html$")


def write_index(out_dir: Path, lang: str = "zh") -> Path:
    """Write ``index.html`` listing every ``retrospective_YYYY-MM.html`` in ``out_dir``, newest first."""
    labels = Labels(lang)
    out_dir = Path(out_dir)
    months = sorted(
        (
            (date(int(m.group(1)), int(m.group(2)), 1), p.name)
            for p in out_dir.iterdir()
            if (m := _REPORT_NAME.match(p.name))
        ),
        reverse=True,
    )
    html = index_html(labels, months)
    path = out_dir / "index.html"
    _atomic_write(path, html)
    return path


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
