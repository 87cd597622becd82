"""A cycle's sales-team template, filled in by a planner with openpyxl, loads with nothing quarantined."""

from __future__ import annotations

import shutil
from datetime import date

import duckdb
import openpyxl
import pandas as pd
import pytest
from own_company import PRODUCT_LINES, REGIONS, OwnCompany, write_own_company

from ingestion.contracts import CONTRACTS
from ingestion.loader import load_all, load_source
from publishing.sales_templates import TemplateInputs, template_name, write_templates

CYCLE = date(2019, 5, 1)
MONTHS = [pd.Timestamp(2019, m, 1) for m in range(6, 12)]


def _statistical() -> pd.DataFrame:
    rows = [
        (r, line, m, 10.4 + i)
        for r in REGIONS
        for i, line in enumerate(PRODUCT_LINES)
        for m in MONTHS
    ]
    return pd.DataFrame(rows, columns=["region", "product_line", "target_month", "units"])


def _previous() -> pd.DataFrame:
    return pd.DataFrame(
        [(REGIONS[0], PRODUCT_LINES[0], MONTHS[0], 7)],
        columns=["region", "product_line", "target_month", "forecast_units"],
    )


@pytest.fixture
def templates(tmp_path):
    inputs = TemplateInputs(_statistical(), _previous(), list(PRODUCT_LINES))
    return write_templates(inputs, CYCLE, tmp_path / "outbox")


def test_one_template_per_region_named_as_the_loader_expects(templates):
    assert [p.name for p in templates] == sorted(template_name(r, CYCLE) for r in REGIONS)
    book = openpyxl.load_workbook(templates[0])
    sheet = book["forecast"]
    assert [c.value for c in sheet[1]] == ["product_line", *[f"{m:%Y-%m}" for m in MONTHS]]
    assert [sheet.cell(row=i + 2, column=1).value for i in range(3)] == list(PRODUCT_LINES)
    assert sheet.cell(row=2, column=2).value == 10  # the statistical P50, rounded
    assert sheet.protection.sheet
    assert sheet.cell(row=1, column=2).protection.locked
    assert not sheet.cell(row=2, column=2).protection.locked
    [line_rule] = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert str(line_rule.sqref).startswith("A2")
    reference = {tuple(r) for r in book["reference"].iter_rows(min_row=2, values_only=True)}
    assert (PRODUCT_LINES[0], "2019-06", 10.4, 7) in reference


def test_a_filled_template_round_trips_with_zero_quarantined_rows(templates, tmp_path):
    landing = tmp_path / "landing"
    write_own_company(landing, OwnCompany(last_day=date(2019, 5, 31)))
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as conn:
        assert not load_all(conn, landing, ["products", "customers", "order_lines"]).errors
        for path in templates:  # a planner overwrites a few numbers and saves
            book = openpyxl.load_workbook(path)
            sheet = book["forecast"]
            sheet.cell(row=2, column=2).value = 25
            sheet.cell(row=3, column=4).value = 0
            book.save(path)
            (landing / "sales_input").mkdir(exist_ok=True)
            shutil.copy(path, landing / "sales_input" / path.name)
        result = load_source(conn, CONTRACTS["sales_team_forecast"], landing)
        quarantined = conn.execute("select count(*) from audit.quarantine").fetchone()[0]
        loaded = conn.execute(
            "select count(*), sum(forecast_units) filter (where product_line = ? "
            "and target_month = '2019-06-01') from raw.sales_team_forecast",
            [PRODUCT_LINES[0]],
        ).fetchone()
    assert quarantined == 0
    assert result.rows_loaded == len(REGIONS) * len(PRODUCT_LINES) * len(MONTHS)
    assert loaded == (result.rows_loaded, 25 * len(REGIONS))
