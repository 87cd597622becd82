"""The whole Dagster code location loads, with every stage wired."""

import importlib.util
import subprocess

import dagster as dg
import pytest

from ingestion.contracts import CONTRACTS


def test_definitions_load(monkeypatch, tmp_path):
    monkeypatch.setenv("SOP_HOME", str(tmp_path))
    from orchestration.definitions import defs

    dg.Definitions.validate_loadable(defs)
    repo = defs.get_repository_def()
    keys = {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()}
    for source in CONTRACTS:
        assert f"raw/{source}" in keys


def test_importing_the_definitions_never_parses_dbt(monkeypatch, tmp_path):
    """No manifest at import: one line saying what to run, and no ``dbt parse`` behind it."""
    import orchestration.assets.warehouse as warehouse
    import orchestration.dbt_manifest as manifest

    def no_subprocess(*args, **kwargs):
        raise AssertionError(f"a subprocess at import: {args}")

    monkeypatch.setattr(manifest, "MANIFEST_PATH", tmp_path / "target" / "manifest.json")
    monkeypatch.setattr(subprocess, "run", no_subprocess)
    spec = importlib.util.spec_from_file_location("warehouse_without_manifest", warehouse.__file__)
    assert spec is not None and spec.loader is not None
    with pytest.raises(manifest.ManifestMissingError) as missing:
        spec.loader.exec_module(importlib.util.module_from_spec(spec))
    message = str(missing.value)
    assert "\n" not in message
    assert str(tmp_path / "target" / "manifest.json") in message and "make prepare" in message


def test_instance_limits_the_warehouse_pool_and_recovers_dead_runs(tmp_path):
    """One writer on DuckDB; a run whose process died is failed, retried, and frees its slot."""
    from orchestration.instance import persistent_instance

    instance = persistent_instance(tmp_path)
    assert instance.get_concurrency_config().pool_config.default_pool_limit == 1
    assert instance.run_monitoring_enabled
    assert instance.run_monitoring_settings["free_slots_after_run_end_seconds"] > 0
    assert instance.run_retries_enabled


def test_assets_are_grouped_as_the_sop_process_reads(monkeypatch, tmp_path):
    """Sources -> warehouse -> demand / supply / finance -> planning (the approved plan) ->
    performance -> publish; dbt's layer
    stays in the key and the ``layer`` tag; the catalog shows the YAML description."""
    monkeypatch.setenv("SOP_HOME", str(tmp_path))
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    nodes = {
        k.to_user_string(): graph.get(k)
        for k in graph.get_all_asset_keys()
        if graph.get(k).is_materializable
    }
    groups = {node.group_name for node in nodes.values()}
    assert groups == {
        "sources",
        "warehouse",
        "demand",
        "supply",
        "finance",
        "planning",
        "performance",
        "publish",
    }
    expected = {
        "raw/order_lines": "sources",
        "staging/stg_sales__order_lines": "warehouse",
        "marts/fct_order_lines": "warehouse",
        "ml/forecast": "demand",
        "marts/mart_supply_plan": "supply",
        "marts/mart_financial_plan": "finance",
        "marts/mart_sop_exceptions": "performance",
        "reports/monthly_retrospective": "performance",
        "published/marts": "publish",
    }
    assert {key: nodes[key].group_name for key in expected} == expected
    supply_plan = nodes["marts/mart_supply_plan"]
    assert supply_plan.tags["layer"] == "marts"
    assert "Raw SQL" not in supply_plan.description and supply_plan.description.strip()
