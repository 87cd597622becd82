"""The ingest assets check channels and tiers against the company's own lists (platform.yml)."""

from __future__ import annotations

import dagster as dg
import duckdb
import pytest

from ingestion.contracts import CONTRACTS
from orchestration.assets.ingest import ingest_assets, raw_asset_key
from orchestration.resources import SopHome, Warehouse
from orchestration.settings import clear_settings_cache, contract_settings


@pytest.fixture
def home(tmp_path):
    clear_settings_cache()
    yield tmp_path
    clear_settings_cache()


def test_defaults_are_the_contracts_demo_sets(home):
    settings = contract_settings(home)
    for allowed in CONTRACTS["customers"].allowed:
        assert settings.allowed_values(allowed) == allowed.values


def test_bad_list_is_refused(home):
    (home / "platform.yml").write_text("company:\n  channels: retail\n", encoding="utf-8")
    with pytest.raises(ValueError, match="company.channels"):
        contract_settings(home)


def test_ingest_asset_uses_the_companys_tiers(home):
    (home / "platform.yml").write_text(
        "company:\n  customer_tiers: [Gold, Silver]\n  channels: [b2b, retail]\n", encoding="utf-8"
    )
    customers = home / "landing" / "masters" / "customers.csv"
    customers.parent.mkdir(parents=True)
    customers.write_text(
        "customer_id,customer_name,region,channel,tier,payment_terms_days\n"
        "K1,One,Central,b2b,gold,30\n"
        "K2,Two,Central,online,silver,30\n"
        "K3,Three,Central,retail,key,30\n",
        encoding="utf-8",
    )
    asset = next(a for a in ingest_assets if a.key == raw_asset_key("customers"))
    sop_home = SopHome(path=str(home))
    result = dg.materialize(
        [asset], resources={"sop_home": sop_home, "warehouse": Warehouse(home=sop_home)}
    )
    assert result.success
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        loaded = conn.execute("select customer_id from raw.customers").fetchall()
        reasons = conn.execute("select reason from audit.quarantine order by row_number").fetchall()
    assert loaded == [("K1",)]
    assert reasons == [
        ("channel: 'online' is not in the allowed set channels (b2b, retail)",),
        ("tier: 'key' is not in the allowed set customer_tiers (Gold, Silver)",),
    ]


def test_a_company_home_refuses_to_ingest_without_the_personal_data_key(home, monkeypatch):
    from orchestration.personal_data import MissingKeyError

    monkeypatch.delenv("SOP_PII_KEY", raising=False)
    with pytest.raises(MissingKeyError, match="SOP_PII_KEY is not set"):
        contract_settings(home)
