"""Write-audit-publish on a hand-made warehouse: layout, audit, atomic switch, readers, pruning."""

import os
from pathlib import Path

import duckdb
import pytest
from published_warehouse import make_warehouse

from publishing import PublishAuditError, current_version, publish_marts
from publishing.publish import list_versions


def _counts(path: Path) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as conn:
        return _snapshot(conn)


def _snapshot(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = conn.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema = 'marts' order by all"
    ).fetchall()
    return {
        f"{s}.{t}": conn.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0]
        for s, t in tables
    }


def test_publish_copies_marts_only_audits_and_switches(warehouse, tmp_path):
    published = tmp_path / "published"
    result = publish_marts(warehouse, published, version="v1")

    assert result.row_counts == {
        "marts.dim_region": 4,
        "marts.fct_demand_monthly": 6,
        "marts.mart_units_by_month": 3,
    }
    assert _counts(published / "current" / "sop.duckdb") == result.row_counts
    assert os.readlink(published / "current") == "versions/v1"
    assert current_version(published) == "v1"
    assert sorted(p.name for p in result.parquet_dir.iterdir()) == [
        "dim_region.parquet",
        "fct_demand_monthly.parquet",
        "mart_units_by_month.parquet",
    ]
    with duckdb.connect(str(result.database_path), read_only=True) as conn:
        schemas = {
            r[0]
            for r in conn.execute(
                "select schema_name from information_schema.schemata "
                "where catalog_name = current_database()"
            ).fetchall()
        }
        manifest = dict(
            conn.execute("select table_name, row_count from publish_manifest").fetchall()
        )
    assert "raw" not in schemas
    assert manifest == result.row_counts
    assert not (published / "staging").exists() or not any((published / "staging").iterdir())


def test_personal_columns_refused_and_current_unchanged(warehouse, tmp_path):
    published = tmp_path / "published"
    publish_marts(warehouse, published, version="v1")
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(
            "create table marts.dim_contact as select 'C1' as customer_id, '138' as contact_phone"
        )

    with pytest.raises(PublishAuditError, match="marts.dim_contact.contact_phone"):
        publish_marts(warehouse, published, version="v2")
    assert current_version(published) == "v1"
    assert list_versions(published) == ["v1"]
    assert "marts.dim_contact" not in _counts(published / "current" / "sop.duckdb")


def test_reader_holding_old_version_keeps_complete_snapshot(warehouse, tmp_path):
    published = tmp_path / "published"
    first = publish_marts(warehouse, published, version="v1", keep_versions=1)
    reader = duckdb.connect(str(published / "current" / "sop.duckdb"), read_only=True)
    try:
        before = _snapshot(reader)
        make_warehouse(warehouse, demand_rows=40)
        second = publish_marts(warehouse, published, version="v2", keep_versions=1)

        assert second.pruned == ("v1",)
        assert not first.directory.exists()
        assert _snapshot(reader) == before
        assert (
            reader.execute("select sum(ordered_units) from marts.fct_demand_monthly").fetchone()[0]
            == 150
        )
    finally:
        reader.close()
    assert current_version(published) == "v2"
    assert _counts(published / "current" / "sop.duckdb")["marts.fct_demand_monthly"] == 40


def test_keeps_the_newest_versions(warehouse, tmp_path):
    published = tmp_path / "published"
    for version in ("v1", "v2", "v3", "v4"):
        publish_marts(warehouse, published, version=version, keep_versions=2)
    assert list_versions(published) == ["v3", "v4"]
    with pytest.raises(FileExistsError):
        publish_marts(warehouse, published, version="v4")


def test_left_over_staging_is_cleared_and_never_current(warehouse, tmp_path):
    published = tmp_path / "published"
    crashed = published / "staging" / "v0"
    crashed.mkdir(parents=True)
    (crashed / "sop.duckdb").write_bytes(b"half written")
    publish_marts(warehouse, published, version="v1")
    assert not crashed.exists()
    assert list_versions(published) == ["v1"]


def test_empty_schema_is_not_published(tmp_path):
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(PublishAuditError, match="nothing to publish"):
        publish_marts(empty, tmp_path / "published")
    assert current_version(tmp_path / "published") is None
