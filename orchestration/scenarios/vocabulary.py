"""What a scenario file may name: the warehouse's regions, SKUs, lines, tiers...

Each key's allowed values are read from the built warehouse, so a file is checked
against this company's data, not the demo's. A key whose source the company does
not send (no capacity extract, no bill of materials, no invoices) is not
applicable: adjusting it is refused rather than planned on invented numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb

from orchestration.capabilities import capabilities
from orchestration.dbt_manifest import DBT_PROJECT_DIR

VALUE_SOURCES = {
    "region": ("marts.dim_region", "region"),
    "channel": ("marts.dim_channel", "channel"),
    "product_line": ("marts.dim_product", "product_line"),
    "sku": ("marts.dim_product", "sku"),
    "production_line": ("marts.fct_capacity", "production_line"),
    "customer_tier": ("marts.dim_customer", "tier"),
    "supplier_id": ("staging.stg_masters__bom_components", "supplier_id"),
    "component_id": ("staging.stg_masters__bom_components", "component_id"),
}
"""Key -> (table, column) holding its allowed values; identifiers from code, never input."""

TYPE_CAPABILITY = {
    "capacity": "supply_plan",
    "supplier": "procurement_plan",
    "payment_terms": "cash",
}
"""Adjustment types that only mean something when the capability's sources are sent."""


@dataclass(frozen=True)
class Vocabulary:
    """Allowed values per key, and the adjustment types this company cannot use (and why)."""

    values: dict[str, frozenset[str]]
    not_applicable: dict[str, str] = field(default_factory=dict)

    def allowed(self, key: str) -> frozenset[str] | None:
        """The allowed values of ``key``; None when the key is free (no list to check)."""
        return self.values.get(key)


def _abc_classes() -> frozenset[str]:
    with (DBT_PROJECT_DIR / "seeds" / "planning_abc_classes.csv").open(encoding="utf-8") as f:
        return frozenset(row["abc_class"] for row in csv.DictReader(f))


def _values(conn: duckdb.DuckDBPyConnection, table: str, column: str) -> frozenset[str]:
    try:
        rows = conn.execute(
            f"select distinct {column} from {table} where {column} is not null"
        ).fetchall()
    except duckdb.CatalogException:
        return frozenset()
    return frozenset(str(row[0]) for row in rows)


def read_vocabulary(conn: duckdb.DuckDBPyConnection, provided: Iterable[str]) -> Vocabulary:
    """The allowed values of every key in this warehouse, for a company sending ``provided``."""
    provided = tuple(provided)
    values = {key: _values(conn, *source) for key, source in VALUE_SOURCES.items()}
    if not values["sku"]:
        raise RuntimeError("the warehouse has no products yet: run `sop daily` (or a cycle) first")
    values["abc_class"] = _abc_classes()
    not_applicable = {}
    for kind, name in TYPE_CAPABILITY.items():
        missing = capabilities()[name].missing(provided)
        if missing:
            not_applicable[kind] = (
                f"not applicable: this company does not send {', '.join(missing)} "
                f"(sources.provided), so there is no {name.replace('_', ' ')} to adjust"
            )
    return Vocabulary(values=values, not_applicable=not_applicable)
