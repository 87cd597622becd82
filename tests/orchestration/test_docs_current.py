"""The published source-contract reference is the contracts themselves, rendered."""

from pathlib import Path

from ingestion.docs import contracts_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "SOURCE_CONTRACTS.md"


def test_source_contract_doc_is_current():
    assert DOC.read_text(encoding="utf-8").strip() == contracts_markdown().strip(), (
        "docs/SOURCE_CONTRACTS.md is stale: run `.venv/bin/python -m ingestion.docs > "
        "docs/SOURCE_CONTRACTS.md`"
    )
