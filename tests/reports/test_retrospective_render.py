"""Rendering: offline-only resources, both languages, determinism, files written."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser
from string import Formatter

from plotly.offline import get_plotlyjs

from bench.report_sample import sample_inputs
from reports.i18n import LANGUAGES, Labels, label_codes
from reports.retrospective import (
    FIGURE_IDS,
    render_retrospective,
    write_retrospective,
)

URL_ATTRIBUTES = {
    "src", "href", "srcset", "action", "formaction", "poster", "data", "background",
    "xlink:href", "manifest", "ping", "cite", "longdesc", "usemap", "icon",
}  # fmt: skip
REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
CSS_REMOTE = re.compile(
    r"""url\(\s*['"]?\s*(https?:)?//|@import\s+(url\()?\s*['"]?\s*(https?:)?//""", re.IGNORECASE
)


class _ResourceScan(HTMLParser):
    """Collect URL-bearing attributes, inline styles and inline scripts of a document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, str]] = []
        self.styles: list[str] = []
        self.scripts: list[tuple[dict, str]] = []
        self._in: tuple[str, dict] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attributes.items():
            if name in URL_ATTRIBUTES and value is not None:
                self.urls.append((tag, name, value))
            if name == "style" and value:
                self.styles.append(value)
        if tag in ("script", "style"):
            self._in = (tag, attributes)
            if tag == "script":
                self.scripts.append((attributes, ""))

    def handle_endtag(self, tag):
        if self._in and self._in[0] == tag:
            self._in = None

    def handle_data(self, data):
        if self._in is None:
            return
        tag, _ = self._in
        if tag == "style":
            self.styles.append(data)
        else:
            attributes, text = self.scripts[-1]
            self.scripts[-1] = (attributes, text + data)


def test_report_references_no_http_resource(rendered):
    """The page loads nothing over http(s): checked on the markup, the CSS and our scripts.

    A resource is what a browser fetches by itself: ``src``/``href``-like
    attributes, CSS ``url()`` and ``@import``. None may be http(s) or
    protocol-relative (``//host``). Scripts are different: the inlined
    plotly.js bundle contains URL strings in code and comments (map tile
    servers, the plotly.com logo link, licence notices) that are only used by
    trace types and options this report does not use, so grepping the whole
    file for "http" would be a test that cannot pass rather than an honest
    one. Instead: the bundle must be byte-identical to plotly's own
    ``get_plotlyjs()`` and appear exactly once; every other script (our
    figure calls and config) must not contain "http" at all; and no script
    has a ``src``. That the bundle fetches nothing at run time is asserted
    by the browser test, which blocks http(s) and records every request.
    """
    bundle = get_plotlyjs()
    for lang, html in rendered.items():
        scan = _ResourceScan()
        scan.feed(html)
        remote = [u for u in scan.urls if REMOTE.match(u[2])]
        assert remote == [], f"{lang}: remote resources {remote}"
        css_remote = [s for s in scan.styles if CSS_REMOTE.search(s)]
        assert css_remote == [], f"{lang}: remote CSS {css_remote}"
        assert all("src" not in attrs for attrs, _ in scan.scripts)
        bundles = [text for _, text in scan.scripts if text == bundle]
        assert len(bundles) == 1, f"{lang}: plotly.js must be inlined exactly once"
        own_scripts = [text for _, text in scan.scripts if text != bundle]
        assert len(own_scripts) == len(FIGURE_IDS) + 1  # the figures + window.PlotlyConfig
        leaking = [text[:120] for text in own_scripts if "http" in text.lower()]
        assert leaking == [], f"{lang}: scripts mention http: {leaking}"
        assert html.count(bundle[:200]) == 1


def test_every_figure_is_embedded_with_its_fixed_id(rendered):
    for html in rendered.values():
        for div_id in FIGURE_IDS:
            assert html.count(f'<div id="{div_id}" class="plotly-graph-div"') == 1
            assert f'Plotly.newPlot(                        "{div_id}"' in html


def test_both_languages_have_translated_titles(rendered):
    zh, en = Labels("zh"), Labels("en")
    section_codes = [c for c in label_codes() if c.startswith("sec_")]
    for code in section_codes + ["report_title", "kpi_forecast_accuracy", "fig_budget_waterfall"]:
        assert escape(zh(code)) in rendered["zh"] or zh(code) in rendered["zh"], code
        assert escape(en(code)) in rendered["en"] or en(code) in rendered["en"], code
        assert zh(code) != en(code)
    assert '<html lang="zh-CN">' in rendered["zh"]
    assert '<html lang="en">' in rendered["en"]
    assert "预测与实际对比" in rendered["zh"] and "Forecast vs actual" not in rendered["zh"]


def test_every_label_has_both_languages_with_the_same_placeholders():
    def placeholders(text: str) -> set[str]:
        return {field for _, field, _, _ in Formatter().parse(text) if field}

    for code in label_codes():
        zh, en = Labels("zh")(code), Labels("en")(code)
        assert zh.strip() and en.strip(), code
        assert placeholders(zh) == placeholders(en), code
    assert set(LANGUAGES) == {"zh", "en"}


def test_executive_summary_states_figures_against_last_month_and_target(rendered, inputs, month):
    kpis = inputs.kpis
    accuracy = kpis[(kpis["kpi"] == "forecast_accuracy") & (kpis["month"] == month)]
    value = f"{accuracy['value'].iloc[0] * 100:.1f}%"
    summary_zh = rendered["zh"].split('<ul class="summary">')[1].split("</ul>")[0]
    assert f"预测准确率(1 − WAPE) {value}(较上月" in summary_zh
    assert "目标85.0%" in summary_zh
    summary_en = rendered["en"].split('<ul class="summary">')[1].split("</ul>")[0]
    assert f"Forecast accuracy (1 − WAPE) {value} (" in summary_en
    assert "vs last month, target 85.0%" in summary_en


def test_same_inputs_give_identical_html(month):
    first = render_retrospective(sample_inputs(month, seed=3), month, "zh")
    second = render_retrospective(sample_inputs(month, seed=3), month, "zh")
    assert first == second
    other_seed = render_retrospective(sample_inputs(month, seed=4), month, "zh")
    assert other_seed != first


def test_write_retrospective_writes_the_month_file_and_an_index(tmp_path, inputs, month):
    path = write_retrospective(inputs, month, tmp_path / "reports", "en")
    assert path.name == "retrospective_2026-10.html"
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    write_retrospective(inputs, month.replace(month=9), tmp_path / "reports", "en")
    index = (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    assert index.index("retrospective_2026-10.html") < index.index("retrospective_2026-09.html")
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [
        "index.html",
        "retrospective_2026-09.html",
        "retrospective_2026-10.html",
    ]
