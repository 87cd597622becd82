"""The report's templates: shipped with the package, autoescaped, one per section."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pandas as pd

import reports
from reports.retrospective import render_retrospective

TEMPLATES = Path(reports.__file__).parent / "templates"
PYPROJECT = Path(__file__).parents[2] / "pyproject.toml"


def test_every_template_is_package_data():
    """A template the package-data globs miss would be absent from an installed wheel."""
    globs = tomllib.loads(PYPROJECT.read_text())["tool"]["setuptools"]["package-data"]["reports"]
    shipped = {p for pattern in globs for p in TEMPLATES.parent.glob(pattern)}
    on_disk = {p for p in TEMPLATES.rglob("*") if p.is_file()}
    assert on_disk and on_disk <= shipped, sorted(map(str, on_disk - shipped))


def test_every_section_has_its_template(rendered):
    anchors = {chunk.split('"', 1)[0] for chunk in rendered["en"].split('<section id="')[1:]}
    templates = {p.stem for p in (TEMPLATES / "sections").glob("*.html")}
    optional = {"scenarios"}  # shown when the cycle has scenario inputs (test_scenarios_render)
    assert anchors == templates - optional


def test_values_from_the_data_are_escaped(inputs, month):
    """A subject or company name with markup in it is shown as text, not run as HTML."""
    evil = '<img src=x onerror="alert(1)">'
    deviations = inputs.deviations.copy()
    deviations.loc[deviations["level"] != "total", "subject"] = evil
    html = render_retrospective(
        dataclasses.replace(inputs, deviations=deviations), month, "en", company=evil
    )
    assert evil not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html


def test_alert_evidence_is_worded_in_the_report_language_and_formats(inputs, month):
    """Alerts carrying evidence values read as sentences with CLDR numbers and months."""
    alerts = inputs.alerts.head(2).copy()
    alerts["rule"] = ["a_item_forecast_error", "projected_stockout"]
    alerts["is_open"] = True
    alerts = alerts.assign(
        evidence_1=[0.412, 2.0],
        evidence_2=[0.25, 1_234_567.0],
        evidence_3=[12_345.0, None],
        evidence_4=[-1_000.0, None],
        evidence_date=[None, pd.Timestamp("2026-12-01")],
    )
    case = dataclasses.replace(inputs, alerts=alerts)
    en = render_retrospective(case, month, "en", currency="USD")
    zh = render_retrospective(case, month, "zh", currency="USD")
    assert "lag-1 WAPE 41.2% (band 25.0%); forecast 12,345 vs actual −1,000 units" in en
    assert "提前1月WAPE 41.2%(阈值25.0%);预测12,345件,实际−1,000件" in zh
    assert "stock projected below zero from Dec 2026 (2 month(s) ahead); backlog value $1.23M" in en
    assert "预计自2026年12月起库存低于零(提前2个月);欠货金额US$123.5万" in zh
