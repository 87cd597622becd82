"""``make run``: the whole pipeline on the embedded demo company, in-process.

Generates the demo extracts into ``$SOP_HOME/landing``, then runs the same
jobs the schedules run — the daily refresh, then the monthly planning cycle
for the latest closed month and the cycles before it — against a persistent
Dagster instance under ``$SOP_HOME/dagster`` so ``make ui`` shows the runs.
"""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

import dagster as dg

from orchestration.checks import AS_OF_TAG
from orchestration.failures import failure_lines
from orchestration.instance import persistent_instance, prepare_dagster_home
from orchestration.settings import platform_settings


def _cycles(as_of: date, count: int) -> list[str]:
    """Partition keys of the latest closed month and the ``count`` months before it."""
    year, month = as_of.year, as_of.month
    keys = []
    for _ in range(count + 1):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        keys.append(f"{year:04d}-{month:02d}-01")
    return sorted(keys)


def _run(job_name: str, instance: dg.DagsterInstance, as_of: date,
         partition_key: str | None = None) -> bool:
    from orchestration.definitions import defs

    started = time.perf_counter()
    result = defs.resolve_job_def(job_name).execute_in_process(
        instance=instance, partition_key=partition_key, raise_on_error=False,
        tags={AS_OF_TAG: as_of.isoformat()},
        run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
    )
    label = f"{job_name}" + (f" [{partition_key[:7]}]" if partition_key else "")
    status = "ok" if result.success else "FAILED"
    print(f"  {label:<34} {status:>6}  {time.perf_counter() - started:6.1f} s", flush=True)
    if not result.success:
        for line in failure_lines(result):
            print(f"    {line}")
    return result.success


def run(home: Path, as_of: date, seed: int) -> int:
    """Generate the demo and run every job; return a process exit code."""
    from demo_company import DemoConfig, generate

    home.mkdir(parents=True, exist_ok=True)
    os.environ["SOP_HOME"] = str(home)
    os.environ["DAGSTER_HOME"] = str(prepare_dagster_home(home))
    print(f"SOP_HOME = {home}")
    started = time.perf_counter()
    summary = generate(DemoConfig(as_of=as_of, seed=seed), home / "landing")
    print(f"  demo company extracts written    {sum(summary.rows.values()):>8} rows  "
          f"{time.perf_counter() - started:6.1f} s")

    instance = persistent_instance(home)
    ok = _run("daily_job", instance, as_of)
    backfill = int(platform_settings()["schedules"]["backfill_cycles"])
    if ok:
        *earlier, latest = _cycles(as_of, backfill)
        for key in earlier:
            ok = _run("forecast_cycle_job", instance, as_of, key) and ok
        ok = _run("planning_job", instance, as_of, latest) and ok
    if ok:
        _print_accuracy(home)
    _print_where(home)
    return 0 if ok else 1


def _print_accuracy(home: Path) -> None:
    """Lag-1 WAPE at sku x region over the backfilled cycles: did the models beat naive?"""
    import duckdb

    from orchestration.warehouse_io import query

    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        row = query(conn, "accuracy_summary").iloc[0]
    if not row["cycles"]:
        return
    print(f"\nLag-1 accuracy at sku x region over {int(row['cycles'])} scored cycles (WAPE, lower is better):")
    for method in ("naive", "statistical", "consensus"):
        print(f"  {method:<12} WAPE {row[f'{method}_wape']:.3f}   accuracy {1 - row[f'{method}_wape']:.1%}")


def _print_where(home: Path) -> None:
    reports = sorted((home / "reports").glob("*.html"))
    print("\nWhere to look:")
    print(f"  warehouse (working copy)   {home / 'warehouse.duckdb'}")
    print(f"  published for BI tools     {home / 'published' / 'current'}")
    print(f"  landing files              {home / 'landing'}")
    if reports:
        print(f"  monthly retrospective      {reports[-1]}")
    print("  Dagster UI                 make ui  (http://127.0.0.1:3000)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.cli")
    sub = parser.add_subparsers(dest="command", required=True)
    run_parser = sub.add_parser("run", help="generate the demo company and run the pipeline")
    run_parser.add_argument("--as-of", type=date.fromisoformat, default=date.today(),
                            help="the demo's 'today' (default: today)")
    run_parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    home = Path(os.environ.get("SOP_HOME", "data")).resolve()
    return run(home, args.as_of, args.seed)


if __name__ == "__main__":
    sys.exit(main())
