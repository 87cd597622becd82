"""A failed dbt build gates the next planning cycle, on real in-process Dagster runs of a small demo.

One SOP_HOME for the module, used in order (one xdist group): a clean daily
run; then a customer tier the dbt test ``accepted_values`` on ``dim_customer``
rejects fails the daily build once (no retry), lands in ``audit.dq_results``
as critical, and blocks the next ``forecast_cycle_job``; fixing the data and
rebuilding clears it. Then a model that fails to build (SQL error) is recorded
and blocks, and a clean rebuild clears it.

Why the bad values are written into the raw tables directly: the point is a
row that the Great Expectations raw suites do not stop (customer tiers are
checked at ingest, not by the raw suites), or a dbt run that no raw suite
guards (the dbt asset materialized alone), as a hand-run SQL fix, a restore
or a loader regression would produce. The dbt test is then the last line.
"""

import datetime as dt
import json
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from demo_company import DemoConfig, generate
from orchestration.checks import AS_OF_TAG
from orchestration.failures import failure_lines
from publishing import critical_failures

pytestmark = [pytest.mark.xdist_group("e2e_dbt_gate"), pytest.mark.slow, pytest.mark.timeout(2400)]

AS_OF = dt.date(2026, 1, 12)
CONFIG = DemoConfig(as_of=AS_OF, start_month="2024-07", n_skus=8, n_customers=24)
CYCLE = "2025-12-01"
DBT_STEP = "warehouse_dbt_models"
DBT_ONLY_JOB = "warehouse_dbt_only_job"
TIER_TEST = "accepted_values_dim_customer_tier"


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("sop_home_dbt_gate")
    generate(CONFIG, home / "landing")
    return home


@pytest.fixture(autouse=True)
def _sop_home_env(home, monkeypatch):
    monkeypatch.setenv("SOP_HOME", str(home))


@pytest.fixture(scope="module")
def defs() -> dg.Definitions:
    from orchestration.assets.warehouse import warehouse_dbt_models
    from orchestration.definitions import defs

    dbt_only = dg.define_asset_job(
        DBT_ONLY_JOB, selection=dg.AssetSelection.assets(warehouse_dbt_models)
    )
    return dg.Definitions.merge(defs, dg.Definitions(jobs=[dbt_only]))


def _run(defs, job: str, partition_key: str | None = None) -> dg.ExecuteInProcessResult:
    return defs.resolve_job_def(job).execute_in_process(
        instance=dg.DagsterInstance.ephemeral(),
        partition_key=partition_key,
        tags={AS_OF_TAG: AS_OF.isoformat()},
        raise_on_error=False,
    )


def _attempts(result: dg.ExecuteInProcessResult, step: str) -> int:
    return sum(
        1
        for e in result.all_events
        if e.step_key == step and e.event_type == dg.DagsterEventType.STEP_START
    )


def _step_failure(result: dg.ExecuteInProcessResult, step: str) -> str:
    [failure] = [e for e in result.all_events if e.is_step_failure and e.step_key == step]
    return failure.event_specific_data.error.message


def _warehouse(home: Path, read_only: bool = False):
    return duckdb.connect(str(home / "warehouse.duckdb"), read_only=read_only)


def test_clean_daily_run_records_every_dbt_test(defs, home):
    daily = _run(defs, "daily_job")
    assert daily.success, failure_lines(daily)
    with _warehouse(home, read_only=True) as conn:
        kinds = dict(
            conn.execute(
                "select check_kind, count(*) from audit.dq_results where run_id = ? and suite = 'dbt_warehouse' "
                "and success group by 1",
                [daily.run_id],
            ).fetchall()
        )
        failed = conn.execute(
            "select count(*) from audit.dq_results where run_id = ? and not success", [daily.run_id]
        ).fetchone()[0]
    assert kinds["dbt_test"] > 100 and kinds["dbt_model"] > 20 and kinds["dbt_invocation"] == 1
    assert failed == 0


def test_failing_dbt_test_fails_once_is_recorded_and_blocks_the_next_cycle(defs, home):
    with _warehouse(home) as conn:
        customer, tier = conn.execute(
            "select customer_id, tier from raw.customers order by customer_id limit 1"
        ).fetchone()
        conn.execute("update raw.customers set tier = 'Platinum' where customer_id = ?", [customer])

    daily = _run(defs, "daily_job")
    assert not daily.success
    assert _attempts(daily, DBT_STEP) == 1
    # the second build of the home (same vars) parsed only what changed: nothing
    [target] = (home / "dbt" / "target").glob(f"*-{DBT_STEP}-{daily.run_id[:8]}")
    log = (target / "dbt.log").read_text(encoding="utf-8")
    assert "Partial parsing enabled" in log and "Starting full parse" not in log
    assert not any(e.event_type == dg.DagsterEventType.STEP_UP_FOR_RETRY for e in daily.all_events)
    with _warehouse(home, read_only=True) as conn:
        row = conn.execute(
            "select table_name, severity, success, unexpected_count, sample, message from audit.dq_results "
            "where run_id = ? and suite = 'dbt_warehouse' and expectation = ?",
            [daily.run_id, TIER_TEST],
        ).fetchone()
    table, severity, success, failing, sample, message = row
    assert (table, severity, success, failing) == ("marts.dim_customer", "critical", False, 1)
    assert "platinum" in json.loads(sample)[0].values()
    assert message == (
        f"dbt test {TIER_TEST} on marts.dim_customer failed: 1 row "
        "(e.g. value_field=platinum n_records=1)"
    )

    lines = failure_lines(daily)
    print("\n".join(lines))
    assert [line for line in lines if TIER_TEST in line] == [f"{DBT_STEP}: {message}"]

    cycle = _run(defs, "forecast_cycle_job", CYCLE)
    assert not cycle.success
    blocked = _step_failure(cycle, "demand_forecast")
    assert TIER_TEST in blocked and "marts.dim_customer" in blocked
    assert "1 row" in blocked and "platinum" in blocked
    assert _attempts(cycle, "demand_forecast") == 1
    assert any(TIER_TEST in line for line in failure_lines(cycle))

    with _warehouse(home) as conn:
        conn.execute("update raw.customers set tier = ? where customer_id = ?", [tier, customer])
    fixed = _run(defs, "daily_job")
    assert fixed.success, failure_lines(fixed)
    cycle = _run(defs, "forecast_cycle_job", CYCLE)
    assert cycle.success, failure_lines(cycle)


def test_model_that_fails_to_build_is_a_critical_failure_until_rebuilt(defs, home):
    with _warehouse(home) as conn:
        conn.execute("alter table raw.promotions rename column promo_name to promo_title")
    try:
        broken = _run(defs, DBT_ONLY_JOB)
    finally:
        with _warehouse(home) as conn:
            conn.execute("alter table raw.promotions rename column promo_title to promo_name")
    assert not broken.success
    assert _attempts(broken, DBT_STEP) == 1
    message = _step_failure(broken, DBT_STEP)
    assert "dbt model staging.stg_marketing__promotions failed to build" in message
    assert "promo_name" in message
    with _warehouse(home, read_only=True) as conn:
        blocking = critical_failures(conn)
    assert any(
        line.startswith("dbt model staging.stg_marketing__promotions failed to build")
        for line in blocking
    ), blocking

    rebuilt = _run(defs, DBT_ONLY_JOB)
    assert rebuilt.success, failure_lines(rebuilt)
    with _warehouse(home, read_only=True) as conn:
        assert critical_failures(conn) == []
