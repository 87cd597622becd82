"""The ingest job through Dagster on a small demo with every fault switched on.

Real files, real DuckDB, real in-process Dagster runs: clean rows load, each
faulty row lands in quarantine with a reason, a structural fault fails only
its own source, and a second run changes nothing.
"""

from datetime import date

import dagster as dg
import duckdb
import pytest

from demo_company import DemoConfig, FaultConfig, deliver_late_files, generate
from ingestion.contracts import CONTRACTS
from orchestration.checks import AS_OF_TAG

pytestmark = pytest.mark.xdist_group("e2e_ingest")

CONFIG = DemoConfig(
    as_of=date(2026, 1, 12),
    start_month="2024-11",
    n_skus=8,
    n_customers=24,
    faults=FaultConfig.all_on(),
)


def _run_ingest(home):
    from orchestration.definitions import defs

    return defs.resolve_job_def("ingest_job").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
        tags={AS_OF_TAG: CONFIG.as_of.isoformat()},
    )


def _raw_counts(home) -> dict[str, int | None]:
    """Rows per raw table; None for a source not ingested yet (its ingest step was skipped)."""
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        tables = {
            t
            for (t,) in conn.execute(
                "select table_name from information_schema.tables where table_schema = 'raw'"
            ).fetchall()
        }
        return {
            s: conn.execute(f"select count(*) from raw.{s}").fetchone()[0] if s in tables else None
            for s in CONTRACTS
        }


@pytest.fixture(scope="module")
def faulty_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("sop_home")
    summary = generate(CONFIG, home / "landing")
    return home, summary


def test_all_faults_quarantined_and_structural_faults_fail_their_source(faulty_home, monkeypatch):
    home, summary = faulty_home
    monkeypatch.setenv("SOP_HOME", str(home))
    result = _run_ingest(home)

    failures = [e for e in result.all_events if e.is_step_failure and "_gx_" not in e.step_key]
    assert {e.step_key for e in failures} == {"raw__shipments", "raw__invoices"}
    started = {e.step_key for e in result.all_events if e.is_step_start}
    # receipts reference invoices: they wait for the invoices to be whole, nothing is lost
    assert "raw__cash_receipts" not in started
    messages = " ".join(e.event_specific_data.error.message for e in failures)
    renamed = next(f for f in summary.faults if f.kind == "renamed_column")
    missing = next(f for f in summary.faults if f.kind == "missing_column")
    assert renamed.file in messages and "shipped_qty" in messages
    assert missing.file in messages and "due_date" in messages

    counts = _raw_counts(home)
    assert [s for s in CONTRACTS if not counts[s] and s != "cash_receipts"] == [], counts

    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        quarantined = set(
            conn.execute("select file_name, row_number from audit.quarantine").fetchall()
        )
        unbalanced = conn.execute(
            "select count(*) from audit.load_ledger "
            "where rows_read <> rows_loaded + rows_quarantined"
        ).fetchone()[0]
        rejected = {
            r[0]
            for r in conn.execute(
                "select file_name from audit.load_ledger where status = 'rejected'"
            ).fetchall()
        }
        reasons = conn.execute("select reason from audit.quarantine").fetchall()
    row_faults = [f for f in summary.faults if f.row_number is not None]
    assert row_faults
    for fault in row_faults:
        assert (fault.file, fault.row_number) in quarantined, fault
    assert unbalanced == 0
    assert rejected == {renamed.file, missing.file}
    assert all(reason[0] for reason in reasons)


def test_second_run_and_late_file(faulty_home, monkeypatch):
    home, summary = faulty_home
    monkeypatch.setenv("SOP_HOME", str(home))
    _run_ingest(home)
    before = _raw_counts(home)
    _run_ingest(home)
    assert _raw_counts(home) == before

    late = deliver_late_files(summary, home / "landing")
    assert late
    _run_ingest(home)
    after = _raw_counts(home)
    assert after["order_lines"] > before["order_lines"]
    assert {s: n for s, n in after.items() if s != "order_lines"} == {
        s: n for s, n in before.items() if s != "order_lines"
    }
