"""The scenario page renders offline from rpt_scenario_comparison-shaped frames, in both languages.

The frames here are a hand-written two-month, two-scenario cycle of a company without supply or
cash sources (those measures NULL); the page built from a real warehouse is read by
tests/dbt/test_scenario_jobs.py.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from offline_html import offline_problems

from bench.report_sample import sample_inputs
from reports.retrospective import render_retrospective
from reports.scenarios import MEASURES, ScenarioInputs, render_scenario_page, write_scenario_page

CYCLE = date(2026, 9, 1)


def _comparison() -> pd.DataFrame:
    rows = []
    for scenario, revenue, plan in (("base", 100.0, False), ("east_up", 115.0, True)):
        for period, month, factor in (
            ("month", date(2026, 10, 1), 1),
            ("month", date(2026, 11, 1), 1),
            ("total", None, 2),
        ):
            row = {m: None for m, _ in MEASURES} | {f"{m}_vs_base": None for m, _ in MEASURES}
            row.update(
                cycle_month=CYCLE,
                scenario=scenario,
                description="EAST <b>+15%</b>" if scenario == "east_up" else "",
                is_base=scenario == "base",
                is_plan=plan,
                period=period,
                month=month,
                revenue=revenue * factor,
                revenue_vs_base=(revenue - 100.0) * factor,
                gross_margin=revenue * factor / 4,
                gross_margin_vs_base=(revenue - 100.0) * factor / 4,
            )
            rows.append(row)
    return pd.DataFrame(rows)


def _approvals() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "cycle_month": CYCLE,
                "scenario": "east_up",
                "approved_by": "Cai",
                "approved_at": datetime(2026, 10, 5, 9, 0),
                "note": "launch <confirmed>",
                "is_latest": True,
            }
        ]
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_is_offline_and_shows_each_scenario(lang: str) -> None:
    html = render_scenario_page(
        ScenarioInputs(_comparison(), _approvals()), CYCLE, lang, currency="CNY"
    )
    assert offline_problems(html) == []
    for scenario in ("base", "east_up"):
        assert f">{scenario}" in html
    assert "EAST &lt;b&gt;+15%&lt;/b&gt;" in html and "launch &lt;confirmed&gt;" in html
    assert 'id="fig-scenario-revenue"' in html and 'id="fig-scenario-gross-margin"' in html
    assert 'id="fig-scenario-cash-position"' not in html  # NULL throughout: no source, no chart
    assert "font-family: &#34;" not in html  # the CSS is not escaped


def test_without_a_plan_or_approvals_the_page_says_so(tmp_path) -> None:
    empty = ScenarioInputs(_comparison().iloc[0:0], _approvals().iloc[0:0])
    path = write_scenario_page(empty, CYCLE, tmp_path, "en")
    html = path.read_text("utf-8")
    assert path.name == "scenarios_2026-09.html"
    assert "No plan for this cycle yet." in html and "No approval recorded" in html


def test_retrospective_gets_a_scenario_section() -> None:
    inputs = sample_inputs(date(2026, 9, 1))
    html = render_retrospective(
        inputs, CYCLE, "en", scenarios=ScenarioInputs(_comparison(), _approvals())
    )
    assert '<section id="scenarios">' in html and ">east_up" in html
    assert render_retrospective(inputs, CYCLE, "en").count('id="scenarios"') == 0
