"""The capabilities declaration names real sources, marts, columns and report sections."""

import re

from ingestion.contracts import CONTRACTS
from orchestration.capabilities import capabilities, missing_by_report_section, unavailable
from orchestration.dbt_manifest import DBT_PROJECT_DIR
from orchestration.settings import REQUIRED_SOURCES

REPORT_SECTIONS = {
    "summary",
    "kpis",
    "forecast",
    "accuracy",
    "deviations",
    "budget",
    "inventory",
    "cash",
    "alerts",
    "data-quality",
}


def _model_texts() -> dict[str, str]:
    """Model name -> its SQL (or Python) and YAML text."""
    texts = {}
    for path in (DBT_PROJECT_DIR / "models").rglob("*"):
        if path.suffix in (".sql", ".py"):
            yml = path.with_suffix(".yml")
            texts[path.stem] = path.read_text(encoding="utf-8") + (
                yml.read_text(encoding="utf-8") if yml.exists() else ""
            )
    return texts


def test_every_capability_names_known_sources_marts_and_sections():
    """``table.column`` names a column, or a KPI code of mart_kpis_monthly."""
    texts = _model_texts()
    for capability in capabilities().values():
        assert set(capability.sources) <= set(CONTRACTS), capability.name
        assert set(capability.report_sections) <= REPORT_SECTIONS, capability.name
        for mart in capability.marts:
            table, _, column = mart.partition(".")
            assert table in texts, (capability.name, mart)
            assert not column or re.search(rf"\b{column}\b", texts[table]), (capability.name, mart)


def test_every_optional_source_switches_something_on():
    needed = {s for c in capabilities().values() for s in c.sources}
    assert set(CONTRACTS) - needed == set()


def test_minimal_company_lacks_exactly_the_optional_capabilities():
    missing = unavailable(REQUIRED_SOURCES)
    assert {"demand_plan", "financial_plan", "inventory_policy"}.isdisjoint(missing)
    assert missing["fill_rate"] == ("shipments",)
    assert missing["cash"] == ("invoices", "cash_receipts")
    sections = missing_by_report_section(REQUIRED_SOURCES)
    assert sections["inventory"] == ("shipments", "inventory_snapshots")
    assert "forecast" not in sections
    assert unavailable(CONTRACTS) == {} and missing_by_report_section(CONTRACTS) == {}
