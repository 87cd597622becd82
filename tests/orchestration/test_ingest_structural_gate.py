"""A file rejected at ingest fails its asset and holds the quality gate until a load no longer rejects it."""

from __future__ import annotations

import dagster as dg
import duckdb

from orchestration.assets.ingest import ingest_assets, raw_asset_key
from orchestration.resources import SopHome, Warehouse
from publishing.gate import critical_failures

HEADER = "customer_id,customer_name,region,channel,tier,payment_terms_days\n"


def _materialize(home):
    asset = next(a for a in ingest_assets if a.key == raw_asset_key("customers"))
    sop_home = SopHome(path=str(home))
    return dg.materialize(
        [asset],
        resources={"sop_home": sop_home, "warehouse": Warehouse(home=sop_home)},
        raise_on_error=False,
    )


def _gate(home):
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        return critical_failures(conn)


def test_rejected_file_fails_the_asset_and_blocks_until_fixed(tmp_path):
    customers = tmp_path / "landing" / "masters" / "customers.csv"
    customers.parent.mkdir(parents=True)
    rows = "".join(f"K{i},Name,Central,retail,key,thirty\n" for i in range(25))
    customers.write_text(HEADER + rows, encoding="utf-8")

    failed = _materialize(tmp_path)
    assert not failed.success
    [failure] = _gate(tmp_path)
    assert "masters/customers.csv rejected" in failure
    assert "payment_terms_days type" in failure

    customers.write_text(HEADER + rows.replace("thirty", "30"), encoding="utf-8")
    assert _materialize(tmp_path).success
    assert _gate(tmp_path) == []
