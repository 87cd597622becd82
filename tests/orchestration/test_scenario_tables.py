"""The scenario tables have one definition, the dbt macro; the loader runs what it renders."""

import duckdb
import jinja2
import pytest

from orchestration.scenarios.tables import (
    MACRO_PATH,
    scenario_columns,
    scenario_tables_ddl,
)


def test_loader_ddl_is_the_macro_rendered_for_duckdb():
    ddl = scenario_tables_ddl()
    assert "create table if not exists scenarios.scenario_adjustments" in ddl
    assert "create table if not exists scenarios.scenario_runs" in ddl
    module = jinja2.Environment().from_string(MACRO_PATH.read_text(encoding="utf-8"))
    other = module.make_module({"target": {"type": "spark"}}).create_scenario_tables()
    assert str(other).strip() == "select 1"  # elsewhere the platform does not create them


def test_columns_come_from_the_ddl_in_order():
    runs = scenario_columns("scenario_runs")
    assert list(runs) == ["cycle_month", "scenario", "file", "description", "loaded_at"]
    assert runs["cycle_month"] == "date" and runs["loaded_at"] == "timestamp"
    adjustments = scenario_columns("scenario_adjustments")
    assert list(adjustments)[:4] == ["scenario", "file", "adjustment_index", "adjustment_type"]
    assert adjustments["multiplier"] == "double" and adjustments["payment_days"] == "integer"
    with pytest.raises(LookupError, match="scenarios.nope"):
        scenario_columns("nope")


def test_ddl_reruns_on_a_warehouse_holding_scenarios():
    with duckdb.connect() as conn:
        conn.execute(scenario_tables_ddl())
        conn.execute("insert into scenarios.scenario_runs (scenario) values ('east_up')")
        conn.execute(scenario_tables_ddl())
        assert conn.execute("select scenario from scenarios.scenario_runs").fetchall() == [
            ("east_up",)
        ]
