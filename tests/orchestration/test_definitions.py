"""The whole Dagster code location loads, with every stage wired."""

import dagster as dg

from ingestion.contracts import CONTRACTS


def test_definitions_load(monkeypatch, tmp_path):
    monkeypatch.setenv("SOP_HOME", str(tmp_path))
    from orchestration.definitions import defs

    dg.Definitions.validate_loadable(defs)
    repo = defs.get_repository_def()
    keys = {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()}
    for source in CONTRACTS:
        assert f"raw/{source}" in keys
