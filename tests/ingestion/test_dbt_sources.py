"""The dbt sources YAML is generated from the contracts and kept current."""

from __future__ import annotations

import yaml

from ingestion.contracts import CONTRACTS
from ingestion.dbt_sources import STAGING_DIR, all_sources_yaml


def test_sources_yaml_is_current():
    stale = [
        str(path.relative_to(STAGING_DIR))
        for path, text in all_sources_yaml().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    assert stale == [], (
        f"stale dbt sources YAML {stale}: run `.venv/bin/python -m ingestion.dbt_sources`"
    )


def test_every_contract_is_one_source_table_with_its_columns_and_key_test():
    tables = {}
    generated = set(all_sources_yaml())
    for path in sorted(STAGING_DIR.glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
            for table in source["tables"]:
                assert table["name"] not in tables, f"{table['name']} declared twice"
                if path not in generated:  # a table the platform writes itself (scenarios)
                    assert table["name"] not in CONTRACTS, f"{table['name']} outside its contract"
                    continue
                tables[table["name"]] = (source["name"], table)
    assert set(tables) == set(CONTRACTS)
    for name, (area, table) in tables.items():
        contract = CONTRACTS[name]
        assert area == contract.area
        assert [c["name"] for c in table["columns"]] == contract.column_names
        assert table["meta"]["dagster"]["asset_key"] == ["raw", name]
        if len(contract.primary_key) == 1:
            [key] = [c for c in table["columns"] if c["name"] == contract.primary_key[0]]
            assert key["data_tests"] == ["unique", "not_null"]
        else:
            [test] = table["data_tests"]
            combination = test["unique_combination_of_columns"]["arguments"]
            assert combination["combination_of_columns"] == list(contract.primary_key)
