"""scenario_job and approval_job run in process (ephemeral instance) on a small built warehouse.

The session's demo warehouse is copied to this module's home with fixture forecasts for three
cycles and its plans built (``dbt build -s source:ml+``), as test_plan_approval does; then the
real Dagster jobs of ``orchestration.definitions`` run on it: scenario_job loads ``east_up``
for a cycle and rebuilds the plan marts and the report pages, approval_job approves it. The
scenario page of the cycle is then read as written: offline, every scenario, the approval.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import date

import dagster as dg
import duckdb
import pytest
from dbt_demo_build import DBT, DemoWarehouse, copy_project
from offline_html import offline_problems
from test_performance_ml_fixture import write_fixture_forecasts

from orchestration.checks import AS_OF_TAG

# Whole Dagster job runs (a demo build, then scenario_job and approval_job): end to end, so
# in the slow suite; the scenario builds and approvals themselves are checked in the fast
# test_scenarios_build.py and test_plan_approval.py.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("dbt_demo"), pytest.mark.timeout(2400)]

CYCLES = [date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)]
CYCLE = date(2026, 9, 1)
AS_OF = date(2026, 11, 23)


@pytest.fixture(scope="module")
def jobs_demo(demo_warehouse: DemoWarehouse, tmp_path_factory) -> DemoWarehouse:
    """A copy of the demo warehouse with fixture forecasts and its base plans, no scenario yet."""
    root = tmp_path_factory.mktemp("scenario_jobs")
    (root / "sop_home").mkdir()
    shutil.copy(demo_warehouse.warehouse_path, root / "sop_home" / "warehouse.duckdb")
    demo = replace(
        demo_warehouse, home=root / "sop_home", project_dir=copy_project(root / "dbt_project")
    )
    (demo.home / "scenarios").mkdir()
    (demo.home / "scenarios" / "east_up.yml").write_text(
        "description: EAST +15% <from March>\nadjustments:\n"
        "  - {type: demand, region: EAST, multiplier: 1.15}\n",
        encoding="utf-8",
    )
    (demo.home / "scenarios" / "line_cut.yml").write_text(
        "description: a line loses a fifth of its capacity\nadjustments:\n"
        "  - {type: capacity, production_line: LINE_PLACEHOLDER, multiplier: 0.8}\n",
        encoding="utf-8",
    )
    with duckdb.connect(str(demo.warehouse_path)) as conn:
        write_fixture_forecasts(conn, CYCLES, horizon=6)
        line = conn.execute("select min(production_line) from marts.fct_capacity").fetchone()[0]
    path = demo.home / "scenarios" / "line_cut.yml"
    path.write_text(path.read_text().replace("LINE_PLACEHOLDER", line), encoding="utf-8")
    proc = subprocess.run(
        [str(DBT), "build", "--select", "source:ml+", "source:audit+", "source:scenarios+"],
        cwd=demo.project_dir,
        env=demo.env(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-5000:]
    return demo


@pytest.fixture
def defs(jobs_demo: DemoWarehouse, monkeypatch) -> dg.Definitions:
    monkeypatch.setenv("SOP_HOME", str(jobs_demo.home))
    from orchestration.definitions import defs

    return defs


def _run(defs: dg.Definitions, job: str, ops: dict) -> dg.ExecuteInProcessResult:
    return defs.resolve_job_def(job).execute_in_process(
        instance=dg.DagsterInstance.ephemeral(),
        partition_key=CYCLE.isoformat(),
        tags={AS_OF_TAG: AS_OF.isoformat()},
        run_config={"ops": ops},
        raise_on_error=False,
    )


def _failures(result: dg.ExecuteInProcessResult) -> list[str]:
    return [
        str(e.event_specific_data.error.message)[-2000:]
        for e in result.all_events
        if e.event_type == dg.DagsterEventType.STEP_FAILURE
    ]


def _rows(demo: DemoWarehouse, sql: str, *params):
    with demo.connect() as conn:
        return conn.execute(sql, list(params)).fetchall()


def test_scenario_job_then_approval_job(defs, jobs_demo: DemoWarehouse) -> None:
    assert _rows(
        jobs_demo,
        "select distinct scenario from marts.mart_financial_plan where cycle_month = ?",
        CYCLE,
    ) == [("base",)]

    ran = _run(defs, "scenario_job", {"scenario_tables": {"config": {"scenarios": ["east_up"]}}})
    assert ran.success, _failures(ran)
    built = _rows(
        jobs_demo,
        "select scenario, round(sum(revenue_p50), 2) from marts.mart_financial_plan "
        "where cycle_month = ? and region = 'EAST' group by 1 order by 1",
        CYCLE,
    )
    assert [s for s, _ in built] == ["base", "east_up"]
    (_, base), (_, east) = built
    assert float(east) == pytest.approx(1.15 * float(base), abs=0.01 * 6 * 100)
    others = _rows(
        jobs_demo,
        "select distinct scenario from marts.mart_financial_plan where cycle_month <> ?",
        CYCLE,
    )
    assert others == [("base",)]

    both = _run(defs, "scenario_job", {"scenario_tables": {"config": {}}})  # every file
    assert both.success, _failures(both)
    assert _rows(
        jobs_demo,
        "select distinct scenario from marts.mart_scenario_comparison where cycle_month = ? "
        "order by 1",
        CYCLE,
    ) == [("base",), ("east_up",), ("line_cut",)]

    approved = _run(
        defs,
        "approval_job",
        {
            "audit__plan_approvals": {
                "config": {"scenario": "east_up", "approved_by": "Cai", "note": "EAST launch"}
            }
        },
    )
    assert approved.success, _failures(approved)
    assert _rows(
        jobs_demo,
        "select scenario, selection, approved_by from marts.mart_plan_selection "
        "where cycle_month = ?",
        CYCLE,
    ) == [("east_up", "approved", "Cai")]
    assert _rows(jobs_demo, "select scenario, approved_by, note from audit.plan_approvals") == [
        ("east_up", "Cai", "EAST launch")
    ]

    page = (jobs_demo.home / "reports" / f"scenarios_{CYCLE:%Y-%m}.html").read_text("utf-8")
    assert offline_problems(page) == []
    for scenario in ("base", "east_up", "line_cut"):
        assert f">{scenario}" in page
    assert "EAST +15% &lt;from March&gt;" in page  # the description, escaped
    for measure in (
        "revenue",
        "gross-margin",
        "closing-inventory-value",
        "capacity-shortfall-units",
    ):
        assert f'id="fig-scenario-{measure}"' in page
    assert "Cai" in page and "EAST launch" in page
    retrospective = (jobs_demo.home / "reports" / f"retrospective_{CYCLE:%Y-%m}.html").read_text(
        "utf-8"
    )
    assert 'id="scenarios"' in retrospective and ">line_cut" in retrospective


def test_scenario_job_refuses_an_unknown_scenario_and_writes_nothing(
    defs, jobs_demo: DemoWarehouse
) -> None:
    before = _rows(jobs_demo, "select * from scenarios.scenario_runs order by all")
    refused = _run(defs, "scenario_job", {"scenario_tables": {"config": {"scenarios": ["nope"]}}})
    assert not refused.success
    assert any("no scenario file for ['nope']" in f for f in _failures(refused))
    assert _rows(jobs_demo, "select * from scenarios.scenario_runs order by all") == before
