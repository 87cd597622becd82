"""Quality gates and publishing on real in-process Dagster runs over a small demo company.

One SOP_HOME for the module, used in order (one xdist group): a clean daily
run passes every suite and publishes; a reader holds the published file open
through the next daily run and publish (slow suite only); the BI example reads the
published file; then a stale as-of date fails freshness; then a duplicate key blocks.

Why the duplicate is injected into ``raw.order_lines`` directly: the loader
quarantines duplicate keys (within a batch and against rows already loaded),
so no landing file can put one into raw. What the raw key test (dbt's, in the
sources YAML generated from the contracts) guards against is a duplicate that
bypasses the loader: a hand-run SQL correction, a restore
from a backup, or a loader regression. The test plays that: after a clean
ingest it re-inserts an existing order line, then runs the real daily job.
"""

import datetime as dt
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from quality_defs import PUBLISH_TEST_JOB, quality_definitions

from demo_company import DemoConfig, generate
from orchestration.failures import failure_lines
from publishing import current_version

pytestmark = pytest.mark.xdist_group("e2e_quality")

AS_OF = dt.date(2026, 1, 12)
CONFIG = DemoConfig(as_of=AS_OF, start_month="2024-11", n_skus=8, n_customers=24)


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("sop_home_quality")
    generate(CONFIG, home / "landing")
    return home


@pytest.fixture(scope="module")
def defs(home) -> dg.Definitions:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOP_HOME", str(home))
        yield quality_definitions()


@pytest.fixture(autouse=True)
def _sop_home_env(home, monkeypatch):
    monkeypatch.setenv("SOP_HOME", str(home))


def _run(defs, job: str, as_of: dt.date = AS_OF) -> dg.ExecuteInProcessResult:
    return defs.resolve_job_def(job).execute_in_process(
        instance=dg.DagsterInstance.ephemeral(),
        tags={"sop/as_of": as_of.isoformat()},
        raise_on_error=False,
    )


def _checks(result) -> dict[str, dg.AssetCheckEvaluation]:
    return {e.check_name: e for e in result.get_asset_check_evaluations()}


def _marts_counts(path: Path) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as conn:
        return _snapshot(conn)


def _snapshot(conn) -> dict[str, int]:
    tables = conn.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
    ).fetchall()
    return {t: conn.execute(f'select count(*) from marts."{t}"').fetchone()[0] for (t,) in tables}


def test_clean_daily_run_passes_every_suite_and_publishes(defs, home):
    daily = _run(defs, "daily_job")
    assert daily.success
    checks = _checks(daily)
    failed = {
        name: e.metadata["message"].value
        for name, e in checks.items()
        if name.startswith("gx_") and not e.passed
    }
    assert failed == {}
    assert {"gx_raw_order_lines", "gx_fct_order_lines", "gx_fct_demand_monthly"} <= set(checks)
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        persisted = conn.execute(
            "select list(distinct suite), bool_and(success) from audit.dq_results where run_id = ?",
            [daily.run_id],
        ).fetchone()
    gx_suites = {n for n in checks if n.startswith("gx_")}
    assert set(persisted[0]) == {n.removeprefix("gx_") for n in gx_suites} | {"dbt_warehouse"}
    assert persisted[1]

    publish = _run(defs, PUBLISH_TEST_JOB)
    assert publish.success
    current = home / "published" / "current" / "sop.duckdb"
    counts = _marts_counts(current)
    assert counts["fct_order_lines"] > 0 and counts["fct_demand_monthly"] > 0


@pytest.mark.slow  # a third daily run; the fast suite has tests/publishing/test_publish.py's
# test_reader_holding_old_version_keeps_complete_snapshot (new data, the held version pruned)
def test_reader_holding_the_published_file_through_a_full_run(defs, home):
    if not (home / "published" / "current").exists():  # the slow suite runs this test alone
        assert _run(defs, "daily_job").success and _run(defs, PUBLISH_TEST_JOB).success
    before_version = current_version(home / "published")
    reader = duckdb.connect(str(home / "published" / "current" / "sop.duckdb"), read_only=True)
    try:
        snapshot = _snapshot(reader)
        assert _run(defs, "daily_job").success
        assert _run(defs, PUBLISH_TEST_JOB).success
        assert _snapshot(reader) == snapshot
        assert (
            reader.execute("select count(*) from marts.fct_order_lines").fetchone()[0]
            == snapshot["fct_order_lines"]
        )
    finally:
        reader.close()
    after_version = current_version(home / "published")
    assert after_version != before_version
    assert (home / "published" / "current").resolve().name == after_version


def test_stale_source_fails_its_freshness_check(defs):
    stale = _run(defs, "ingest_job", as_of=AS_OF + dt.timedelta(days=60))
    check = _checks(stale)["gx_raw_order_lines"]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.ERROR
    failed = {f["check"] for f in check.metadata["failed_checks"].value}
    assert any(name.startswith("freshness") for name in failed), failed
    assert check.metadata["table"].value == "raw.order_lines"


def test_duplicate_key_blocks_dbt_and_publish_and_names_check_and_rows(defs, home):
    published_version = current_version(home / "published")
    published_counts = _marts_counts(home / "published" / "current" / "sop.duckdb")
    with duckdb.connect(str(home / "warehouse.duckdb")) as conn:
        duplicated = conn.execute(
            "select order_id, line_number from raw.order_lines "
            "order by order_id, line_number limit 1"
        ).fetchone()
        conn.execute(
            "insert into raw.order_lines select * from raw.order_lines "
            "where order_id = ? and line_number = ?",
            list(duplicated),
        )

    daily = _run(defs, "daily_job")
    assert not daily.success
    assert _checks(daily)["gx_raw_order_lines"].passed  # GX: freshness and volume only
    [line] = [
        line
        for line in failure_lines(daily)
        if "unique_combination_of_columns" in line and "order_lines" in line
    ]
    assert "on raw.order_lines" in line and duplicated[0] in line
    materialized = {e.asset_key.to_user_string() for e in daily.get_asset_materialization_events()}
    assert "marts/fct_order_lines" not in materialized
    assert "raw/order_lines" in materialized

    publish = _run(defs, PUBLISH_TEST_JOB)
    assert not publish.success
    [failure] = [e for e in publish.all_events if e.is_step_failure]
    message = failure.event_specific_data.error.message
    assert "unique_combination_of_columns_sales_order_lines" in message
    assert "raw.order_lines" in message and duplicated[0] in message
    assert current_version(home / "published") == published_version
    assert _marts_counts(home / "published" / "current" / "sop.duckdb") == published_counts
