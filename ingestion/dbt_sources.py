"""The dbt sources YAML of the raw tables, generated from the source contracts.

One ``_<area>__sources.yml`` per contract area under
``dbt_project/models/staging/<area>/``: each contract a source table with its
description, grain, columns, the Dagster asset key of its ingest asset and
one key test (``unique`` + ``not_null`` on a single-column key,
``unique_combination_of_columns`` on a compound one). The key test is what
dbt checks on raw: it catches a duplicate that bypassed the loader (a
hand-run SQL fix, a restore). The quarantine has already checked every other
contract rule, so none is repeated here. A source the company does not send
still has its (empty) raw table, created from the contract by the ingest
asset, so every test here passes on it without special cases.

``python -m ingestion.dbt_sources`` writes the files;
``tests/ingestion/test_dbt_sources.py`` fails when they are stale.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from ingestion.contracts import CONTRACTS, SourceContract

STAGING_DIR = Path(__file__).resolve().parents[1] / "dbt_project" / "models" / "staging"
RAW_SCHEMA = "{{ var('raw_schema', 'raw') }}"
HEADER = (
    "# Generated from ingestion/contracts.py by `python -m ingestion.dbt_sources`: do not edit.\n"
)


def sources_path(area: str, staging_dir: Path = STAGING_DIR) -> Path:
    """Where the sources YAML of ``area`` lives."""
    return staging_dir / area / f"_{area}__sources.yml"


def _table(contract: SourceContract) -> dict[str, Any]:
    key = list(contract.primary_key)
    table: dict[str, Any] = {
        "name": contract.name,
        "description": f"{contract.description} Grain: {contract.grain}.",
        "meta": {"dagster": {"asset_key": ["raw", contract.name]}},
    }
    if len(key) > 1:
        table["data_tests"] = [
            {"unique_combination_of_columns": {"arguments": {"combination_of_columns": key}}}
        ]
    columns = []
    for column in contract.columns:
        entry: dict[str, Any] = {"name": column.name, "description": column.description}
        if key == [column.name]:
            entry["data_tests"] = ["unique", "not_null"]
        columns.append(entry)
    table["columns"] = columns
    return table


def sources_yaml(area: str, contracts: Iterable[SourceContract] | None = None) -> str:
    """The YAML text of one area's sources: every contract of ``area``, in declaration order."""
    chosen = [c for c in (CONTRACTS.values() if contracts is None else contracts) if c.area == area]
    document = {
        "version": 2,
        "sources": [
            {
                "name": area,
                "description": (
                    f"Raw '{area}' extracts, loaded by the ingestion layer to their contracts "
                    "(ingestion/contracts.py)."
                ),
                "schema": RAW_SCHEMA,
                "tables": [_table(c) for c in chosen],
            }
        ],
    }
    return HEADER + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def all_sources_yaml() -> dict[Path, str]:
    """Path -> text of every area's sources YAML."""
    areas = dict.fromkeys(c.area for c in CONTRACTS.values())
    return {sources_path(area): sources_yaml(area) for area in areas}


def write_sources_yaml() -> list[Path]:
    """Write every area's sources YAML; returns the files that changed."""
    changed = []
    for path, text in all_sources_yaml().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


if __name__ == "__main__":
    for changed_path in write_sources_yaml():
        print(f"wrote {changed_path}", file=sys.stderr)
