"""One typo stops nobody; a failed dbt test is one console line and blocks the next cycle (issue 12).

Through the documented commands on a small demo home:
1. one sales-team workbook has a product-line typo (``Air & Climate``): ``sop daily``
   succeeds, that row is quarantined with its cell, every other row and source loads;
2. a value that breaks a dbt test reaches a raw table behind ingest's back (a hand-run
   SQL fix): ``sop daily`` fails with one console line naming the test, and the next
   ``sop cycle`` refuses to forecast, naming it too.
"""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import openpyxl
import pytest

from demo_company import DemoConfig, generate
from orchestration.cli import main as sop

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

AS_OF = dt.date(2026, 1, 12)
CONFIG = DemoConfig(as_of=AS_OF, start_month="2024-11", n_skus=8, n_customers=24)
TYPO = "Air & Climate"


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("typo_home")
    generate(CONFIG, home / "landing")
    workbook = sorted((home / "landing" / "sales_input").glob("forecast_EAST_*.xlsx"))[-1]
    book = openpyxl.load_workbook(workbook)
    sheet = book["forecast"]
    row = next(
        r
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(row=r, column=1).value == "Air and Climate"
    )
    sheet.cell(row=row, column=1).value = TYPO
    book.save(workbook)
    mp = pytest.MonkeyPatch()
    mp.setenv("SOP_HOME", str(home))
    yield home, workbook.relative_to(home / "landing").as_posix(), f"A{row}"
    mp.undo()


def _rows(home, sql, params=()):
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        return conn.execute(sql, list(params)).fetchall()


def test_a_workbook_typo_quarantines_that_row_and_nothing_else(home, capsys):
    home, workbook, cell = home
    assert sop(["daily", "--home", str(home), "--as-of", AS_OF.isoformat()]) == 0
    quarantined = _rows(
        home,
        "select file_name, rule, reason from audit.quarantine where source = 'sales_team_forecast'",
    )
    assert quarantined, "the typo row must be quarantined"
    assert {q[0] for q in quarantined} == {workbook}
    row = cell[1:]  # each units cell of the typo'd row is a record, named by its cell
    assert all(TYPO in q[2] and re.search(rf"\(cell [B-Z]{row}\)", q[2]) for q in quarantined), (
        quarantined
    )
    [(others,)] = _rows(
        home, "select count(*) from audit.quarantine where source <> 'sales_team_forecast'"
    )
    assert others == 0
    [(loaded,)] = _rows(
        home, "select count(*) from raw.sales_team_forecast where _source_file = ?", [workbook]
    )
    assert loaded > 0  # the workbook's other rows
    [(ledger_ok,)] = _rows(
        home, "select bool_and(rows_read = rows_loaded + rows_quarantined) from audit.load_ledger"
    )
    assert ledger_ok


def test_a_failed_dbt_test_is_one_console_line_and_blocks_the_next_cycle(home, capsys):
    home, _, _ = home
    capsys.readouterr()
    with duckdb.connect(str(home / "warehouse.duckdb")) as conn:
        conn.execute(
            "update raw.customers set tier = 'Platinum' where customer_id = "
            "(select min(customer_id) from raw.customers)"
        )
    assert sop(["daily", "--home", str(home), "--as-of", AS_OF.isoformat()]) == 1
    out = capsys.readouterr().out
    failures = [line for line in out.splitlines() if line.startswith("    ") and "failed" in line]
    assert len(failures) == 1, out
    assert "accepted_values_dim_customer_tier on marts.dim_customer failed: 1 row" in failures[0]

    assert (
        sop(["cycle", "--home", str(home), "--month", "2025-12", "--as-of", AS_OF.isoformat()]) == 1
    )
    out = capsys.readouterr().out
    assert "accepted_values_dim_customer_tier" in out
    [(has_forecasts,)] = _rows(
        home,
        "select count(*) from information_schema.tables "
        "where table_schema = 'ml' and table_name = 'forecast'",
    )
    assert not has_forecasts, "no forecast may be written on a failed build"
