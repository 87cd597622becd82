"""Capabilities by source: what each optional source switches on.

The one declaration lives in ``dbt_project/dbt_project.yml`` (``vars.capabilities``),
where the dbt macro ``capability_available()`` gates the marts with it; this
module reads the same declaration for the Python side (the report's sections,
the CLI, tests). A capability is available when every source it needs is in
``sources.provided``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import yaml

from orchestration.dbt_manifest import DBT_PROJECT_DIR


@dataclass(frozen=True)
class Capability:
    """One capability: the sources it needs and the marts and report sections it feeds.

    ``marts`` names tables, or ``table.column`` where only those columns depend on
    the sources (they are NULL, or the KPI's rows absent, without them).
    """

    name: str
    description: str
    sources: tuple[str, ...]
    marts: tuple[str, ...]
    report_sections: tuple[str, ...]

    def missing(self, provided: Iterable[str]) -> tuple[str, ...]:
        """The sources this capability needs that are not provided, in declaration order."""
        have = set(provided)
        return tuple(s for s in self.sources if s not in have)


@cache
def capabilities() -> dict[str, Capability]:
    """Every declared capability, by name, in declaration order."""
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    declared = project["vars"]["capabilities"]
    return {
        name: Capability(
            name=name,
            description=spec["description"],
            sources=tuple(spec["sources"]),
            marts=tuple(spec.get("marts", ())),
            report_sections=tuple(spec.get("report_sections", ())),
        )
        for name, spec in declared.items()
    }


def unavailable(provided: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Capabilities that lack a source: name -> the missing sources."""
    provided = tuple(provided)
    return {name: c.missing(provided) for name, c in capabilities().items() if c.missing(provided)}


def missing_by_report_section(provided: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Report section -> the sources it lacks (over every capability that feeds it)."""
    sections: dict[str, list[str]] = {}
    for name, missing in unavailable(provided).items():
        for section in capabilities()[name].report_sections:
            wanted = sections.setdefault(section, [])
            wanted += [s for s in missing if s not in wanted]
    return {section: tuple(sources) for section, sources in sections.items()}
