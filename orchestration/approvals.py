"""The approved plan: which scenario the S&OP meeting approved for a cycle, who, when and why.

Approvals are an append-only audit table, ``audit.plan_approvals`` (one row per
approval; approving again adds a row, nothing is updated or deleted). dbt reads
it as source ``audit.plan_approvals``: ``int_plan_scenario_selected`` takes the
latest approval of each cycle, else ``base``, and everything that means "the
plan" (performance marts, report, publish) follows that selection.

A scenario can be approved only for a cycle that has a plan and only once it
has been built for that cycle; :func:`approval_refusal` says why not in one line.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from orchestration.warehouse_io import query, sql_text

APPROVALS_TABLE = "audit.plan_approvals"
BASE_SCENARIO = "base"
SCENARIO_NAME = re.compile(r"[a-z0-9_]+")


class ApprovalRefusedError(ValueError):
    """An approval the warehouse cannot take; the message is one line for the user."""


@dataclass(frozen=True)
class Approval:
    """One recorded approval (a row of ``audit.plan_approvals``)."""

    approval_id: str
    cycle_month: date
    scenario: str
    approved_by: str
    approved_at: dt.datetime
    note: str | None


def ensure_approvals_table(conn: duckdb.DuckDBPyConnection) -> None:
    """Create ``audit.plan_approvals`` when missing (never alters existing rows)."""
    conn.execute(sql_text("approval_table"))


def _columns(conn: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    frame = query(conn, "approval_table_columns")
    return {
        str(table): set(columns)
        for table, columns in frame.groupby("table_ref")["column_name"].agg(set).items()
    }


def planned_cycles(conn: duckdb.DuckDBPyConnection) -> list[date]:
    """Cycles the warehouse holds a plan for (``marts.mart_financial_plan``)."""
    if "marts.mart_financial_plan" not in _columns(conn):
        return []
    return [_as_date(d) for d in query(conn, "approval_planned_cycles")["cycle_month"]]


def cycle_scenarios(conn: duckdb.DuckDBPyConnection, cycle: date) -> list[str]:
    """The scenarios built for ``cycle``: ``dim_scenario``'s, where its plan rows exist.

    Without scenarios in the warehouse (no ``dim_scenario``, plan marts without a
    ``scenario`` column) only ``base`` exists, for a planned cycle.
    """
    columns = _columns(conn)
    if cycle not in planned_cycles(conn):
        return []
    if "marts.dim_scenario" not in columns:
        return [BASE_SCENARIO]
    names = list(query(conn, "approval_cycle_scenarios", {"cycle_month": cycle})["scenario"])
    if "scenario" not in columns.get("marts.mart_financial_plan", set()):
        return [n for n in names if n == BASE_SCENARIO]
    return [
        n
        for n in names
        if query(conn, "approval_scenario_plan_rows", {"cycle_month": cycle, "scenario": n})[
            "plan_rows"
        ].iloc[0]
        > 0
    ]


def approval_refusal(
    conn: duckdb.DuckDBPyConnection, cycle: date, scenario: str, approved_by: str
) -> str | None:
    """Why ``scenario`` cannot be approved for ``cycle`` (one line), or ``None`` when it can."""
    if not SCENARIO_NAME.fullmatch(scenario or ""):
        return f"scenario {scenario!r} is not a scenario name (lower-case letters, digits, _)"
    if not (approved_by or "").strip():
        return "--by must name who approves the plan"
    cycles = planned_cycles(conn)
    if cycle not in cycles:
        known = ", ".join(f"{c:%Y-%m}" for c in cycles[-6:]) or "none yet"
        return (
            f"cycle {cycle:%Y-%m} has no plan: run `sop plan --month {cycle:%Y-%m}` first "
            f"(cycles with a plan: {known})"
        )
    built = cycle_scenarios(conn, cycle)
    if scenario not in built:
        return (
            f"scenario {scenario!r} has not been run for cycle {cycle:%Y-%m}: run "
            f"`sop scenario run --cycle {cycle:%Y-%m} --scenario {scenario}` first "
            f"(built for {cycle:%Y-%m}: {', '.join(built)})"
        )
    return None


def record_approval(
    conn: duckdb.DuckDBPyConnection,
    cycle: date,
    scenario: str,
    approved_by: str,
    note: str | None = None,
    now: dt.datetime | None = None,
) -> Approval:
    """Check and append one approval; raise :class:`ApprovalRefusedError` when refused."""
    refusal = approval_refusal(conn, cycle, scenario, approved_by)
    if refusal:
        raise ApprovalRefusedError(refusal)
    approval = Approval(
        approval_id=uuid.uuid4().hex,
        cycle_month=cycle,
        scenario=scenario,
        approved_by=approved_by.strip(),
        approved_at=(now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(tzinfo=None),
        note=(note or "").strip() or None,
    )
    ensure_approvals_table(conn)
    conn.execute(sql_text("approval_insert"), approval.__dict__)
    return approval


def approval_history(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every approval, newest first (empty frame before the first one)."""
    if APPROVALS_TABLE not in _columns(conn):
        return pd.DataFrame(
            columns=["approval_id", "cycle_month", "scenario", "approved_by", "approved_at", "note"]
        )
    return query(conn, "approval_history")


def approved_scenarios(conn: duckdb.DuckDBPyConnection) -> dict[date, Approval]:
    """The latest approval per cycle (cycles never approved are absent: they use ``base``)."""
    latest: dict[date, Approval] = {}
    for row in approval_history(conn).to_dict("records"):
        cycle = _as_date(row["cycle_month"])
        latest.setdefault(
            cycle,
            Approval(
                str(row["approval_id"]),
                cycle,
                str(row["scenario"]),
                str(row["approved_by"]),
                pd.Timestamp(row["approved_at"]).to_pydatetime(),
                row["note"] if isinstance(row["note"], str) else None,
            ),
        )
    return latest


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") else value
