"""The retrospective of a real demo build, read in headless chromium in Chinese and English.

The performance marts are built by dbt over a generated demo company (with the transparent
fixture forecasts of ``tests/dbt/test_performance_ml_fixture.py``); the report frames come
from the asset's own ``orchestration/sql/report_*.sql``. In the page: the Chinese report has
no English label in its tables and no unformatted number; no legend overlaps a title; the
data-quality section has rows; the causes of every deviation add up to its variance.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import fields
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dbt"))

from reports.contract import RetrospectiveInputs  # noqa: E402
from reports.i18n import _LABELS  # noqa: E402
from reports.retrospective import write_retrospective  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("chromium")]

TABLE_CELLS_JS = """JSON.stringify(Array.from(document.querySelectorAll('table th, table td'))
  .map(el => el.textContent.trim()))"""

OVERLAPS_JS = """JSON.stringify(Array.from(document.querySelectorAll('.js-plotly-plot')).flatMap(div => {
  const box = el => el.getBoundingClientRect();
  const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const legends = Array.from(div.querySelectorAll('g.legend')).map(box).filter(b => b.width > 0);
  const titles = Array.from(div.querySelectorAll('g.g-gtitle text, g.annotation-text-g text'))
    .map(box).filter(b => b.width > 0);
  const out = [];
  legends.forEach(l => titles.forEach(t => { if (hit(l, t)) out.push(div.id); }));
  return out;
}))"""

BOXES_JS = """JSON.stringify([document.querySelectorAll('.js-plotly-plot g.legend').length,
  document.querySelectorAll('.js-plotly-plot g.g-gtitle text').length,
  document.querySelectorAll('.js-plotly-plot g.annotation-text-g text').length])"""

DQ_ROWS_JS = "document.querySelectorAll('#data-quality table.dq-suites tbody tr').length"

ATTRIBUTION_JS = """JSON.stringify(Array.from(document.querySelectorAll('table.attribution tbody tr'))
  .map(tr => ({subject: tr.cells[0].textContent,
               variance: parseFloat(tr.querySelector('td.variance').dataset.value),
               parts: Array.from(tr.querySelectorAll('td.part')).map(td => parseFloat(td.dataset.value))})))"""

ALLOWED_LATIN = {"WAPE", "FVA", "OTIF", "DSO", "SKU", "UTC", "S&OP", "CNY", "dbt"}


@pytest.fixture(scope="module")
def demo_reports(tmp_path_factory) -> dict[str, Path]:
    from test_performance_build import REVIEW_MONTH, build_performance_demo

    from orchestration.warehouse_io import query

    build = build_performance_demo(tmp_path_factory.mktemp("report_demo"))
    assert build.returncode == 0, build.output[-3000:]
    with build.demo.connect() as conn:
        frames = {
            f.name: query(conn, f"report_{f.name}", {"month": REVIEW_MONTH})
            for f in fields(RetrospectiveInputs)
        }
    inputs = RetrospectiveInputs(**frames)
    out = tmp_path_factory.mktemp("demo_retrospective")
    return {
        lang: write_retrospective(
            inputs, REVIEW_MONTH, out / lang, lang, company="Demo Co", currency="CNY"
        )
        for lang in ("zh", "en")
    }


@pytest.fixture(scope="module")
def chromium():
    from headless_chromium import ChromiumNotFoundError, HeadlessChromium

    try:
        browser = HeadlessChromium(width=1280, height=900)
    except ChromiumNotFoundError as err:
        pytest.fail(str(err), pytrace=False)
    yield browser
    browser.close()


def _english_labels() -> set[str]:
    """English label texts that a Chinese table would show if it fell back to English."""
    texts = set()
    for english, chinese in _LABELS.values():
        if english != chinese and "{" not in english and re.search(r"[a-z]{3}", english):
            texts.add(english)
    return texts


def _open(chromium, path: Path) -> str:
    session, _ = chromium.open(path.as_uri())
    chromium.refresh_report(session, settle=1.0)
    return session


def test_the_chinese_tables_have_no_english_and_no_raw_numbers(chromium, demo_reports):
    session = _open(chromium, demo_reports["zh"])
    cells = json.loads(chromium.evaluate(session, TABLE_CELLS_JS))
    assert len(cells) > 100
    english = _english_labels()
    assert not [c for c in cells if c in english], "English labels in the zh tables"
    words = {w for c in cells for w in re.findall(r"\b[a-z]{4,}(?:[- ][a-z]+)*\b", c)}
    # a word of running English (e.g. "failing row(s) at", "lag-1 WAPE", "months running")
    assert not words & {"failing", "running", "units", "backlog", "budget", "forecast", "vs"}, words
    raw = [c for c in cells if re.search(r"\d{5,}\.\d|\d\.\d+ ?CNY|\de[+-]\d", c)]
    assert raw == [], f"unformatted numbers: {raw[:5]}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_layout_data_quality_and_causes(chromium, demo_reports, lang):
    session = _open(chromium, demo_reports[lang])
    legends, titles, panel_titles = json.loads(chromium.evaluate(session, BOXES_JS))
    assert legends >= 5 and titles >= 5 and panel_titles >= 2  # the check below has boxes to test
    assert json.loads(chromium.evaluate(session, OVERLAPS_JS)) == [], "a legend covers a title"
    assert chromium.evaluate(session, DQ_ROWS_JS) >= 1, "data-quality section without rows"
    rows = json.loads(chromium.evaluate(session, ATTRIBUTION_JS))
    assert len(rows) >= 2, "no deviations attributed"
    for row in rows:
        explained = sum(row["parts"])
        assert abs(explained - row["variance"]) <= 0.01 * abs(row["variance"]) + 0.05, row
    company = rows[0]
    assert len([p for p in company["parts"] if abs(p) > 0.01 * abs(company["variance"])]) >= 2, (
        "the company total should show more than one cause"
    )
