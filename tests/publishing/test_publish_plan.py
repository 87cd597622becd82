"""Publishing "the plan": plan marts hold each cycle's selected scenario only, BI filters by cycle."""

from datetime import date

import duckdb
import pytest

from publishing import PublishAuditError, publish_marts


def _warehouse(path, with_selection: bool = True):
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema marts")
        conn.execute(
            "create table marts.mart_financial_plan as select * from (values "
            "(date '2026-08-01', 'base', 100.0), (date '2026-08-01', 'east_up', 115.0), "
            "(date '2026-09-01', 'base', 200.0), (date '2026-09-01', 'east_up', 230.0)) "
            "as t(cycle_month, scenario, revenue_p50)"
        )
        conn.execute(
            "create table marts.mart_scenario_comparison as "
            "select cycle_month, scenario, revenue_p50 as revenue from marts.mart_financial_plan"
        )
        if with_selection:
            conn.execute(
                "create table marts.mart_plan_selection as select * from (values "
                "(date '2026-08-01', 'base'), (date '2026-09-01', 'east_up')) "
                "as t(cycle_month, scenario)"
            )
    return path


def test_plan_marts_publish_the_selected_scenario_per_cycle(tmp_path):
    warehouse = _warehouse(tmp_path / "warehouse.duckdb")
    version = publish_marts(warehouse, tmp_path / "published", plan_tables=("mart_financial_plan",))
    assert version.row_counts["marts.mart_financial_plan"] == 2
    assert version.row_counts["marts.mart_scenario_comparison"] == 4
    with duckdb.connect(str(version.database_path), read_only=True) as conn:
        rows = conn.execute(
            "select cycle_month, scenario, revenue_p50 from marts.mart_financial_plan order by 1"
        ).fetchall()
    assert rows == [(date(2026, 8, 1), "base", 100.0), (date(2026, 9, 1), "east_up", 230.0)]


def test_plan_marts_with_scenarios_need_the_selection(tmp_path):
    warehouse = _warehouse(tmp_path / "warehouse.duckdb", with_selection=False)
    with pytest.raises(PublishAuditError, match="mart_plan_selection is missing"):
        publish_marts(warehouse, tmp_path / "published", plan_tables=("mart_financial_plan",))
    assert not (tmp_path / "published" / "current").exists()
