"""Integration: a small generated demo company, every fault on, loads as the contracts promise."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from ingestion_files import scalar

import demo_company
from ingestion.errors import ContractViolation
from ingestion.loader import load_all
from ingestion.structural import is_structural

pytestmark = pytest.mark.xdist_group("ingestion_demo")

ROW_FAULTS = {"duplicate_rows", "unknown_keys", "malformed_values", "negative_quantities"}
STRUCTURAL_FAULTS = {"renamed_column", "missing_column"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    config = demo_company.DemoConfig(
        start_month="2024-11",
        as_of=dt.date(2026, 2, 5),
        n_skus=8,
        n_product_lines=2,
        n_customers=24,
        faults=demo_company.FaultConfig.all_on(),
    )
    summary = demo_company.generate(config, root / "landing")
    conn = duckdb.connect(str(root / "warehouse.duckdb"))
    first = load_all(conn, root / "landing")
    yield summary, conn, first, root / "landing"
    conn.close()


def _table_counts(conn):
    tables = [
        r[0]
        for r in conn.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'"
        ).fetchall()
    ]
    return {t: scalar(conn, f"select count(*) from raw.{t}") for t in sorted(tables)}


def test_every_source_loads_and_only_structural_faults_fail(demo):
    summary, conn, first, _ = demo
    broken = {f.source for f in summary.faults if f.kind in STRUCTURAL_FAULTS}
    assert set(first.errors) >= broken
    # a file whose rows all reference a rejected file (receipts of a rejected invoices file)
    # fails as a whole too, as a structural reference failure
    for source in set(first.errors) - broken:
        reasons = first.errors[source].files.values()
        assert reasons and all(is_structural(r) and "reference" in r for r in reasons), reasons
    for fault in summary.faults:
        if fault.kind in STRUCTURAL_FAULTS:
            message = str(first.errors[fault.source])
            assert isinstance(first.errors[fault.source], ContractViolation)
            assert fault.file in message and fault.column in message
    assert all(count > 0 for count in _table_counts(conn).values())


def test_every_injected_row_fault_is_quarantined(demo):
    summary, conn, _, _ = demo
    quarantined = {
        (f, r)
        for f, r in conn.execute("select file_name, row_number from audit.quarantine").fetchall()
    }
    row_faults = [f for f in summary.faults if f.kind in ROW_FAULTS]
    assert row_faults
    assert {(f.file, f.row_number) for f in row_faults} <= quarantined


def test_ledger_reconciles_and_a_rerun_changes_nothing(demo):
    _, conn, _, landing = demo
    assert (
        scalar(
            conn,
            "select count(*) from audit.load_ledger "
            "where rows_read <> rows_loaded + rows_quarantined",
        )
        == 0
    )
    before = _table_counts(conn)
    quarantined = scalar(conn, "select count(*) from audit.quarantine")
    again = load_all(conn, landing)
    assert _table_counts(conn) == before
    assert scalar(conn, "select count(*) from audit.quarantine") == quarantined
    # only structurally rejected files are read again (a reference may resolve later)
    reread = [f for r in again.results.values() for f in r.files if f.rows_read]
    assert all(f.status == "rejected" and is_structural(f.message) for f in reread)


def test_late_files_load_on_the_next_run(demo):
    summary, conn, _, landing = demo
    late = list(summary.pending_late_files)
    assert late
    demo_company.deliver_late_files(summary, landing)
    outcome = load_all(conn, landing)
    loaded = {
        f.file_name for r in outcome.results.values() for f in r.files if f.status == "loaded"
    }
    assert set(late) <= loaded
