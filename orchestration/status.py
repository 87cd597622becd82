"""``sop status``: what a home holds: its settings, landing files, loaded tables and cycles.

Read-only: opens the warehouse read-only and writes nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from orchestration.approvals import BASE_SCENARIO, approved_scenarios, planned_cycles
from orchestration.cycles import (
    CycleNotPlannableError,
    cycle_window,
    data_as_of,
    home_order_history,
    min_history_months,
)
from orchestration.settings import HOME_SETTINGS_FILE, platform_settings, provided_sources
from orchestration.warehouse_io import query


def _loaded_rows(conn: duckdb.DuckDBPyConnection, table: str) -> int | None:
    try:
        return int(conn.table(table).aggregate("count(*)").fetchall()[0][0])
    except duckdb.CatalogException:
        return None


def _forecast_cycles(conn: duckdb.DuckDBPyConnection) -> list[date]:
    try:
        return [d.date() for d in query(conn, "forecast_cycles_done")["cycle_month"]]
    except duckdb.CatalogException:
        return []


def _plan_lines(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """The plan of each planned cycle: its latest approval, else base (the last 12 cycles)."""
    cycles = planned_cycles(conn)[-12:]
    if not cycles:
        return ["  plans           none yet"]
    approved = approved_scenarios(conn)
    lines = ["  plans           cycle    scenario             approved"]
    for cycle in cycles:
        approval = approved.get(cycle)
        if approval is None:
            lines.append(f"    {cycle:%Y-%m}        {BASE_SCENARIO:<20} not approved (base)")
        else:
            lines.append(
                f"    {cycle:%Y-%m}        {approval.scenario:<20} by {approval.approved_by} "
                f"at {approval.approved_at:%Y-%m-%d %H:%M} UTC"
            )
    return lines


def home_status(home: Path, as_of: date | None = None) -> list[str]:
    """Lines describing the home (``as_of``: an explicit as-of date, else the data's)."""
    from ingestion.contracts import CONTRACTS

    settings = platform_settings(home)
    own = home / HOME_SETTINGS_FILE
    lines = [
        f"SOP_HOME = {home}",
        f"  settings        {own if own.is_file() else 'product defaults (no ' + HOME_SETTINGS_FILE + ')'}",
        f"  company         {settings['company'].get('name', '')} "
        f"({settings['company'].get('currency', '')})",
    ]
    landing = home / "landing"
    warehouse = home / "warehouse.duckdb"
    conn = duckdb.connect(str(warehouse), read_only=True) if warehouse.is_file() else None
    try:
        lines.append("  source                 landing files   loaded rows")
        for name in provided_sources(home):
            contract = CONTRACTS[name]
            files = [p for p in landing.glob(contract.file_glob) if p.is_file()]
            rows = _loaded_rows(conn, contract.raw_table) if conn else None
            lines.append(f"    {name:<22} {len(files):>10}   {'-' if rows is None else rows:>12}")
        done = _forecast_cycles(conn) if conn else []
        plans = _plan_lines(conn) if conn else []
    finally:
        if conn:
            conn.close()
    history = home_order_history(home)
    data_day = data_as_of(history)
    if history.first is None or data_day is None:
        lines.append("  orders          none yet: drop extracts into landing/ and run `sop daily`")
        return lines
    as_of = as_of or data_day
    lines.append(f"  orders          {history.first} .. {history.newest} (newest event date)")
    lines.append(
        f"  as-of date      {as_of}"
        + ("" if as_of != data_day else " (the day after the newest order)")
    )
    try:
        window = cycle_window(history, as_of, min_history_months(settings))
        lines.append(
            f"  cycles          {window.first:%Y-%m} .. {window.last:%Y-%m} "
            f"({len(window.months)} plannable; planning.min_history_months = "
            f"{window.min_history_months})"
        )
    except CycleNotPlannableError as reason:
        lines.append(f"  cycles          none: {reason}")
    lines.append("  forecast done   " + (", ".join(f"{d:%Y-%m}" for d in done) if done else "none"))
    return lines + plans
