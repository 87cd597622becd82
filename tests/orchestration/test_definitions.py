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


def test_instance_limits_the_warehouse_pool_and_recovers_dead_runs(tmp_path):
    """One writer on DuckDB; a run whose process died is failed, retried, and frees its slot."""
    from orchestration.instance import persistent_instance

    instance = persistent_instance(tmp_path)
    assert instance.get_concurrency_config().pool_config.default_pool_limit == 1
    assert instance.run_monitoring_enabled
    assert instance.run_monitoring_settings["free_slots_after_run_end_seconds"] > 0
    assert instance.run_retries_enabled
