"""The report in a real headless browser: the charts draw, nothing errs, nothing is fetched.

Needs Debian's ``chromium`` (the Makefile's test target installs it). When
it is missing the tests FAIL with the install command rather than skip, so
CI cannot pass without having looked at the page. Select them with
``pytest -m browser``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reports.retrospective import FIGURE_IDS, write_retrospective

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("chromium")]

LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

FIGURE_STATE_JS = """JSON.stringify(Array.from(document.querySelectorAll('.plotly-graph-div')).map(
  el => ({id: el.id,
          plotted: el.classList.contains('js-plotly-plot'),
          svgs: el.querySelectorAll('svg.main-svg').length,
          traces_drawn: el.querySelectorAll('g.trace').length,
          traces: (el._fullData || []).length,
          width: Math.round(el.getBoundingClientRect().width),
          height: Math.round(el.getBoundingClientRect().height)})))"""


@pytest.fixture(scope="module")
def chromium():
    from headless_chromium import ChromiumNotFoundError, HeadlessChromium

    try:
        browser = HeadlessChromium(width=1280, height=900)
    except ChromiumNotFoundError as err:
        pytest.fail(str(err), pytrace=False)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def report_files(tmp_path_factory, inputs, month) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("retrospective")
    return {
        lang: write_retrospective(inputs, month, out / lang, lang, company="Sample Co", sample=True)
        for lang in ("zh", "en")
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_charts_draw_without_errors_or_network(chromium, report_files, lang, tmp_path):
    session, _ = chromium.open(report_files[lang].as_uri())
    figures = {}
    for _ in range(50):  # plotly draws on load; allow a few ticks for late promises
        figures = {f["id"]: f for f in json.loads(chromium.evaluate(session, FIGURE_STATE_JS))}
        if len(figures) == len(FIGURE_IDS) and all(f["svgs"] for f in figures.values()):
            break
        chromium.refresh_report(session, settle=0.1)
    report = chromium.refresh_report(session, settle=0.5)

    assert list(figures) == list(FIGURE_IDS)
    for div_id, state in figures.items():
        assert state["plotted"], f"{div_id} was not turned into a plotly plot"
        assert state["svgs"] >= 1, f"{div_id} has no rendered svg"
        assert state["traces"] >= 1 and state["traces_drawn"] >= state["traces"], state
        assert state["width"] > 300 and state["height"] > 200, state
    svg_total = chromium.evaluate(
        session, "document.querySelectorAll('.js-plotly-plot .main-svg').length"
    )
    assert svg_total >= len(FIGURE_IDS)

    assert report.errors == [], f"console errors / exceptions: {report.errors}"
    remote = [url for url in report.requests if not url.startswith(LOCAL_SCHEMES)]
    assert remote == [], f"the page tried to fetch {remote}"
    assert report.requests[0] == report_files[lang].as_uri()

    if lang == "zh":  # one full-page screenshot is enough to prove the page paints
        shot = chromium.screenshot(session, tmp_path / f"retrospective_{lang}.png")
        assert shot.stat().st_size > 50_000  # a full page of charts, not a blank frame


def test_a_broken_script_is_caught(chromium, tmp_path):
    """The error collection itself works: a page that throws is reported."""
    page = tmp_path / "broken.html"
    page.write_text(
        "<!DOCTYPE html><html><body><script>console.error('boom');"
        "undefinedFunction();</script></body></html>",
        encoding="utf-8",
    )
    session, _ = chromium.open(page.as_uri())
    report = chromium.refresh_report(session, settle=0.3)
    assert any("boom" in e for e in report.console_errors)
    assert any("undefinedFunction" in e for e in report.exceptions)


def test_a_remote_resource_would_be_seen(chromium, tmp_path):
    """The request log works: an http image is recorded (and blocked, so nothing leaves)."""
    page = tmp_path / "remote.html"
    page.write_text(
        '<!DOCTYPE html><html><body><img src="https://cdn.example.invalid/x.png"></body></html>',
        encoding="utf-8",
    )
    session, _ = chromium.open(page.as_uri())
    report = chromium.refresh_report(session, settle=0.3)
    assert "https://cdn.example.invalid/x.png" in report.requests
