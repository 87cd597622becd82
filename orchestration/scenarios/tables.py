"""The scenario tables, defined once: the dbt macro ``create_scenario_tables``.

dbt runs the macro before every build (on-run-start), so the plan marts always have
their source; the scenario loader runs the same macro, rendered here for DuckDB, before
it writes. The loader's column lists are read back from that DDL, not restated.
"""

from __future__ import annotations

from functools import cache

import duckdb
import jinja2

from orchestration.dbt_manifest import DBT_PROJECT_DIR

MACRO_PATH = DBT_PROJECT_DIR / "macros" / "scenario_tables.sql"


@cache
def scenario_tables_ddl() -> str:
    """The DDL the macro renders on DuckDB (``create ... if not exists``: safe to re-run)."""
    template = jinja2.Environment().from_string(MACRO_PATH.read_text(encoding="utf-8"))
    module = template.make_module({"target": {"type": "duckdb"}})
    return str(module.create_scenario_tables())  # type: ignore[attr-defined]


@cache
def scenario_columns(table: str) -> dict[str, str]:
    """``scenarios.<table>``'s columns and DuckDB types, in order, as the DDL creates them."""
    with duckdb.connect() as conn:
        conn.execute(scenario_tables_ddl())
        rows = conn.execute(
            "select column_name, lower(data_type) from information_schema.columns"
            " where table_schema = 'scenarios' and table_name = ? order by ordinal_position",
            [table],
        ).fetchall()
    if not rows:
        raise LookupError(f"{MACRO_PATH} creates no table scenarios.{table}")
    return dict(rows)
