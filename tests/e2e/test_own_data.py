"""A company's own data, end to end, with the documented commands and no code change (issue 12).

The home is laid out as the README's "Run it on your own data" says: ``sop init``,
the company's three minimal extracts dropped into ``landing/`` (history from
2019, customers ordering in several regions, a region spelled ``Central``, no
optional master columns), a few lines of ``platform.yml``, then ``sop run``.
Checked: forecasts, accuracy, the financial plan and the report exist; no
mart holds invented stock, capacity or cash; no landing file was modified.
"""

from __future__ import annotations

import duckdb
import pytest
import yaml
from own_company import REGIONS, landing_checksums, write_own_company

from orchestration.cli import main as sop

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

SUPPLY_AND_CASH_MARTS = [
    "fct_inventory_snapshots",
    "fct_inventory_monthly",
    "fct_production",
    "fct_capacity",
    "mart_supply_plan",
    "mart_capacity_plan",
    "mart_production_requirements",
    "mart_procurement_plan",
    "fct_invoices",
    "fct_cash_receipts",
    "fct_receivables_monthly",
    "mart_cash_flow_plan",
]
"""Marts that only a source the company does not send could fill. (The inventory policy, safety
stock from demand variability and lead time, needs no stock count and stays on.)"""


@pytest.fixture(scope="module")
def own_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("own_home")
    mp = pytest.MonkeyPatch()
    mp.delenv("SOP_HOME", raising=False)
    assert (
        sop(["init", "--home", str(home), "--company", "Garden & Light Ltd", "--currency", "USD"])
        == 0
    )
    write_own_company(home / "landing")
    settings_file = home / "platform.yml"
    settings = yaml.safe_load(settings_file.read_text(encoding="utf-8"))
    settings["schedules"]["backfill_cycles"] = 3
    settings_file.write_text(yaml.safe_dump(settings), encoding="utf-8")
    before = landing_checksums(home / "landing")
    mp.setenv("SOP_PII_KEY", "own-company-test-key")
    code = sop(["run", "--home", str(home)])
    yield home, code, before
    mp.undo()


def _rows(home, sql: str) -> list[tuple]:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def test_the_documented_commands_succeed_and_leave_landing_untouched(own_home):
    home, code, before = own_home
    assert code == 0
    assert landing_checksums(home / "landing") == before
    assert not (home / "landing" / ".demo_company").exists()
    targets = list((home / "dbt" / "target").iterdir())  # dbt's artifacts live in the home
    assert 0 < len(targets) <= 8
    assert list((home / "logs").glob("sop-run-*.log"))


def test_forecasts_accuracy_plan_and_report_exist(own_home):
    home, _, _ = own_home
    [(cycles, rows)] = _rows(home, "select count(distinct cycle_month), count(*) from ml.forecast")
    assert cycles == 4 and rows > 0
    [(first_cycle,)] = _rows(home, "select min(cycle_month) from ml.forecast")
    assert first_cycle.year == 2021  # the last 4 closed months before 2021-06-15
    [(scored,)] = _rows(home, "select count(*) from marts.mart_forecast_accuracy")
    assert scored > 0
    [(plan_rows, revenue)] = _rows(
        home, "select count(*), sum(revenue_p50) from marts.mart_financial_plan"
    )
    assert plan_rows > 0 and revenue > 0
    reports = sorted((home / "reports").glob("retrospective_*.html"))
    assert reports
    page = reports[-1].read_text(encoding="utf-8")
    assert "Garden &amp; Light Ltd" in page or "Garden & Light Ltd" in page


def test_regions_as_delivered_and_from_the_ship_to(own_home):
    home, _, _ = own_home
    regions = {r for (r,) in _rows(home, "select distinct region from marts.fct_demand_monthly")}
    assert regions == set(REGIONS)
    [(multi,)] = _rows(
        home,
        """
        select count(*) from (
            select customer_id from marts.fct_order_lines
            group by customer_id having count(distinct region) > 1)""",
    )
    assert multi > 0


def test_no_mart_holds_invented_stock_capacity_or_cash(own_home):
    home, _, _ = own_home
    for mart in SUPPLY_AND_CASH_MARTS:
        [(n,)] = _rows(home, f"select count(*) from marts.{mart}")
        assert n == 0, f"marts.{mart} has {n} rows without the source that feeds it"
    [(stock,)] = _rows(
        home,
        "select count(*) from marts.mart_financial_plan "
        "where closing_inventory_value_at_p50_demand is not null",
    )
    assert stock == 0
    [(exceptions,)] = _rows(
        home,
        "select count(*) from marts.mart_sop_exceptions where "
        "exception_type in ('below_safety_stock', 'capacity_shortfall')",
    )
    assert exceptions == 0


def test_the_sales_team_gets_a_template_per_region(own_home):
    home, _, _ = own_home
    [cycle_dir] = (home / "outbox" / "sales_input").iterdir()
    names = sorted(p.name for p in cycle_dir.glob("*.xlsx"))
    assert names == sorted(f"forecast_{r}_{cycle_dir.name}.xlsx" for r in REGIONS)


def test_a_template_written_by_the_cycle_round_trips_with_nothing_quarantined(own_home):
    """Last: it adds a source. A planner fills the cycle's template (openpyxl), drops it in."""
    import openpyxl

    home, _, _ = own_home
    [cycle_dir] = (home / "outbox" / "sales_input").iterdir()
    inbox = home / "landing" / "sales_input"
    inbox.mkdir(exist_ok=True)
    for template in sorted(cycle_dir.glob("*.xlsx")):
        book = openpyxl.load_workbook(template)
        sheet = book["forecast"]
        sheet.cell(row=2, column=2).value = 40  # the planner's override of one cell
        book.save(inbox / template.name)
    settings_file = home / "platform.yml"
    settings = yaml.safe_load(settings_file.read_text(encoding="utf-8"))
    settings["sources"]["provided"].append("sales_team_forecast")
    settings_file.write_text(yaml.safe_dump(settings), encoding="utf-8")
    assert sop(["daily", "--home", str(home)]) == 0
    [(quarantined,)] = _rows(
        home, "select count(*) from audit.quarantine where source = 'sales_team_forecast'"
    )
    [(loaded, overridden)] = _rows(
        home,
        "select count(*), count(*) filter (where forecast_units = 40) from raw.sales_team_forecast",
    )
    assert quarantined == 0
    assert loaded > 0 and overridden >= len(REGIONS)
