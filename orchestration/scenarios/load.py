"""Read, check and load the scenario files into ``scenarios.scenario_adjustments`` / ``_runs``.

Every file under ``$SOP_HOME/scenarios/`` is checked (schema, then values against
the warehouse) before anything is written: one bad file stops the load with the
file, the key (``adjustments[2].region``) and the allowed values, and the tables
keep what they held. The adjustments table is replaced whole from the files there
now (a deleted file's rows go); the runs table keeps the cycles each scenario was
run for, drops scenarios whose file is gone, and adds the runs requested now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from orchestration.scenarios.schema import (
    ADJUSTMENT_TYPES,
    Adjustment,
    MonthRange,
    ScenarioError,
    ScenarioFile,
    check_name,
)
from orchestration.scenarios.tables import scenario_columns, scenario_tables_ddl
from orchestration.scenarios.vocabulary import Vocabulary
from planning.policy import service_level_z

CHECKED_KEYS = (
    "product_line",
    "region",
    "channel",
    "sku",
    "production_line",
    "supplier_id",
    "component_id",
    "abc_class",
    "customer_tier",
)


@dataclass(frozen=True)
class Scenario:
    """One checked scenario file."""

    name: str
    file: Path
    spec: ScenarioFile


def scenario_dir(home: Path) -> Path:
    return Path(home) / "scenarios"


def _location(loc: tuple) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in ADJUSTMENT_TYPES:
            continue  # pydantic's name of the union member, not a key of the file
        else:
            text += f".{part}" if text else str(part)
    return text or "(file)"


def _message(error: ErrorDetails) -> str:
    """pydantic's message, with the allowed keys for an unknown one."""
    if error["type"] != "extra_forbidden":
        return error["msg"]
    model: type[BaseModel] = ScenarioFile
    for part in error["loc"][:-1]:
        if isinstance(part, str) and part in ADJUSTMENT_TYPES:
            model = ADJUSTMENT_TYPES[part]
        elif part == "months":
            model = MonthRange
    allowed = sorted(f.alias or name for name, f in model.model_fields.items())
    return f"unknown key; allowed keys: {', '.join(allowed)}"


def parse_file(path: Path) -> Scenario:
    """Read one file and check its shape; ScenarioError names the file and the key."""
    name = check_name(path.stem, str(path))
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ScenarioError(f"{path}: not valid YAML: {error}") from None
    try:
        spec = ScenarioFile.model_validate(raw if raw is not None else {})
    except ValidationError as error:
        lines = [f"{_location(e['loc'])}: {_message(e)}" for e in error.errors()]
        raise ScenarioError(f"{path}: " + "; ".join(lines)) from None
    return Scenario(name=name, file=path, spec=spec)


def check_values(scenario: Scenario, vocabulary: Vocabulary) -> None:
    """Check every named value against the warehouse; ScenarioError names file, key, allowed."""
    for index, adjustment in enumerate(scenario.spec.adjustments):
        where = f"{scenario.file}: adjustments[{index}]"
        if adjustment.type in vocabulary.not_applicable:
            raise ScenarioError(
                f"{where}.type: {adjustment.type!r} is {vocabulary.not_applicable[adjustment.type]}"
            )
        for key in CHECKED_KEYS:
            value = getattr(adjustment, key, None)
            allowed = vocabulary.allowed(key)
            if value is None or allowed is None or value in allowed:
                continue
            shown = sorted(allowed)
            listed = ", ".join(shown[:30]) + (
                f" ... ({len(shown)} in all)" if len(shown) > 30 else ""
            )
            raise ScenarioError(
                f"{where}.{key}: unknown {key} {value!r}; allowed: {listed or '(none in this warehouse)'}"
            )


def read_scenarios(home: Path, vocabulary: Vocabulary) -> list[Scenario]:
    """Every scenario file of the home, checked; the first bad one raises."""
    folder = scenario_dir(home)
    paths = sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]) if folder.is_dir() else []
    scenarios = [parse_file(path) for path in paths]
    names = [s.name for s in scenarios]
    for s in scenarios:
        if names.count(s.name) > 1:
            raise ScenarioError(f"{s.file}: another file is also named {s.name!r} (.yml and .yaml)")
        check_values(s, vocabulary)
    return scenarios


def _row(scenario: Scenario, index: int, adjustment: Adjustment) -> dict[str, object]:
    months = getattr(adjustment, "months", None)
    row: dict[str, object] = dict.fromkeys(scenario_columns("scenario_adjustments"))
    row.update(
        scenario=scenario.name,
        file=scenario.file.name,
        adjustment_index=index,
        adjustment_type=adjustment.type,
        month_from=months.first_day(months.from_month) if months else None,
        month_to=months.first_day(months.to_month) if months else None,
    )
    for key, value in adjustment.model_dump(exclude={"type", "months"}).items():
        target = {
            "change_pct": "price_change_pct",
            "change_points": "discount_points",
            "target": "service_level_target",
            "days": "payment_days",
        }.get(key, key)
        row[target] = value
    if adjustment.type == "service_level":
        row["service_level_z"] = service_level_z(adjustment.target)
    return row


def adjustment_frame(scenarios: list[Scenario]) -> pd.DataFrame:
    """The long table of every adjustment, one row each, in file order."""
    rows = [_row(s, i, a) for s in scenarios for i, a in enumerate(s.spec.adjustments)]
    frame = pd.DataFrame(rows, columns=list(scenario_columns("scenario_adjustments")))
    return frame


def write_scenarios(
    conn: duckdb.DuckDBPyConnection,
    scenarios: list[Scenario],
    cycle: date | None,
    requested: list[str] | None,
) -> pd.DataFrame:
    """Replace the adjustments; keep, drop and add runs; return the runs table after it.

    ``requested`` names the scenarios run for ``cycle`` now (None: every file);
    an unknown name raises before anything is written.
    """
    by_name = {s.name: s for s in scenarios}
    if requested is not None:
        unknown = sorted(set(requested) - set(by_name))
        if unknown:
            raise ScenarioError(
                f"no scenario file for {unknown} under scenarios/; known: {sorted(by_name) or '(none)'}"
            )
    names = list(by_name) if requested is None else list(dict.fromkeys(requested))
    conn.execute(scenario_tables_ddl())
    previous = conn.execute("select * from scenarios.scenario_runs").df()
    kept = previous.loc[previous["scenario"].isin(list(by_name))]
    if cycle is not None:
        now = datetime.now(UTC).replace(tzinfo=None)
        kept = kept.loc[
            ~((pd.to_datetime(kept["cycle_month"]).dt.date == cycle) & kept["scenario"].isin(names))
        ]
        added = pd.DataFrame(
            [(cycle, n, by_name[n].file.name, by_name[n].spec.description, now) for n in names],
            columns=list(scenario_columns("scenario_runs")),
        )
        kept = pd.concat([kept, added], ignore_index=True) if len(kept) else added
    runs = kept[list(scenario_columns("scenario_runs"))]
    adjustments = adjustment_frame(scenarios)
    conn.register("_scenario_adjustments", adjustments)
    conn.register("_scenario_runs", runs)
    try:
        conn.execute("begin transaction")
        conn.execute("delete from scenarios.scenario_adjustments")
        conn.execute(
            "insert into scenarios.scenario_adjustments by name select * from _scenario_adjustments"
        )
        conn.execute("delete from scenarios.scenario_runs")
        conn.execute("insert into scenarios.scenario_runs by name select * from _scenario_runs")
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    finally:
        conn.unregister("_scenario_adjustments")
        conn.unregister("_scenario_runs")
    return conn.execute("select * from scenarios.scenario_runs order by all").df()
