"""``sop``: run the S&OP platform on a company's own data, or on the embedded demo company.

Every command works on one home folder (``--home``, default ``$SOP_HOME``,
else ``./data``) and runs the same Dagster jobs the schedules run, in-process,
against the persistent instance under ``<home>/dagster`` so ``make ui`` shows
the runs afterwards::

    sop init                      platform.yml and the landing layout of a new company
    sop daily                     ingest + warehouse + checks (daily_job)
    sop cycle --month 2024-03     one planning cycle's forecasts (forecast_cycle_job)
    sop plan --month 2024-03      the planning job: forecasts, plans, report, publish
    sop backfill --from 2023-10 --to 2024-03
    sop run [--demo]              daily + backfill + plan of the latest closed month
    sop approve --cycle 2024-03 --scenario NAME --by NAME --note "..."
                                  record the approved plan of a cycle, rebuild what reads it
    sop status                    what is loaded, the newest order date, the cycles

The as-of date ("today" for freshness, and which months are closed) is
``--as-of`` when given; with ``--demo``, today; otherwise the day after the
newest order date in the data, never the machine's clock.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

PROG = "sop"
_console = None
"""The command's :class:`orchestration.console.Console` (set by :func:`main`)."""


def _say(text: str = "") -> None:
    """One line for the person at the terminal (and the log)."""
    if _console is None:
        print(text, flush=True)
    else:
        _console.line(text)


class PlatformUsageError(RuntimeError):
    """Something the user must fix before the command can run (one line, no traceback)."""


def _home(args: argparse.Namespace) -> Path:
    """The command's home (created if missing); its log file is opened here."""
    from orchestration.console import Console, log_file

    global _console
    home = Path(args.home or os.environ.get("SOP_HOME") or "data").expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True)
    os.environ["SOP_HOME"] = str(home)
    if args.command != "init":
        from orchestration.settings import clear_settings_cache, platform_settings

        clear_settings_cache()
        platform_settings(home)  # a bad platform.yml stops here, naming file, key and values
    quiet = args.command not in ("init", "status")
    _console = Console(
        log_file(home, args.command) if quiet else None, verbose=getattr(args, "verbose", False)
    )
    return home


def _month(text: str) -> date:
    from orchestration.cycles import CycleNotPlannableError, month_of

    try:
        return month_of(text)
    except CycleNotPlannableError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _instance(home: Path):
    """The home's persistent instance, with runs whose process died marked failed first."""
    from orchestration.instance import fail_dead_runs, persistent_instance, prepare_dagster_home

    os.environ["DAGSTER_HOME"] = str(prepare_dagster_home(home))
    instance = persistent_instance(home)
    for line in fail_dead_runs(instance):
        _say(f"  {line}")
    return instance


def _wait_for_warehouse(instance, poll_seconds: float = 2.0) -> None:
    """Wait, saying for what, while another live process runs a job on this home (Ctrl-C stops)."""
    from orchestration.instance import fail_dead_runs, live_warehouse_runs

    holders = live_warehouse_runs(instance)
    if holders:
        _say(
            f"  waiting for {', '.join(holders)} to finish with the warehouse (Ctrl-C to stop) ..."
        )
    while holders:
        time.sleep(poll_seconds)
        fail_dead_runs(instance)
        holders = live_warehouse_runs(instance)


def _require_pii_key(home: Path) -> None:
    """Refuse to build a company's warehouse without the key that hashes personal data."""
    from orchestration.personal_data import missing_pii_key

    problem = missing_pii_key(home)
    if problem:
        raise PlatformUsageError(problem)


def _prepare_dbt_project() -> None:
    """Parse the dbt project when it changed, once per process, before the definitions load."""
    from orchestration.dbt_manifest import manifest_is_stale, prepare_manifest

    if prepare_manifest.cache_info().currsize == 0 and manifest_is_stale():
        _say("  preparing the dbt project (dbt parse, after a change to dbt_project/)")
    prepare_manifest()


def _run(
    job_name: str,
    instance,
    as_of: date,
    partition_key: str | None = None,
    step: str = "",
    ops_config: dict | None = None,
) -> bool:
    """Run one job in-process; print one line for it (and one per failure), log the rest."""
    from contextlib import nullcontext

    _prepare_dbt_project()
    from orchestration.checks import AS_OF_TAG
    from orchestration.definitions import defs
    from orchestration.failures import failure_lines
    from orchestration.instance import process_tags

    _wait_for_warehouse(instance)
    label = f"{job_name}" + (f" [{partition_key[:7]}]" if partition_key else "") + step
    captured = _console.captured() if _console else nullcontext()
    progress = _console.progress(label) if _console else nullcontext()
    started = time.perf_counter()
    with progress, captured:
        result = defs.resolve_job_def(job_name).execute_in_process(
            instance=instance,
            partition_key=partition_key,
            raise_on_error=False,
            tags={AS_OF_TAG: as_of.isoformat(), **process_tags()},
            run_config={
                "loggers": {"console": {"config": {"log_level": "INFO"}}},
                **({"ops": ops_config} if ops_config else {}),
            },
        )
    status = "ok" if result.success else "FAILED"
    _say(f"  {label:<40} {status:>6}  {time.perf_counter() - started:6.1f} s")
    if not result.success:
        for line in failure_lines(result):
            _say(f"    {line}")
        if _console is not None and _console.log_path is not None:
            _say(
                f"    full log: {_console.log_path}  (run id {result.run_id[:8]}, also in make ui)"
            )
    return result.success


def _as_of(home: Path, explicit: date | None, loaded_only: bool = False) -> date:
    """``--as-of``, else the day after the newest order date of the home's data.

    The data is the landing files and the warehouse (before a daily run), or only
    what the warehouse has loaded (``loaded_only``: what a planning cycle reads).
    """
    from orchestration.cycles import (
        CycleNotPlannableError,
        data_as_of,
        home_order_history,
        warehouse_order_history,
    )

    if explicit:
        return explicit
    history = (
        warehouse_order_history(home / "warehouse.duckdb")
        if loaded_only
        else home_order_history(home)
    )
    as_of = data_as_of(history)
    if as_of is None and loaded_only:
        raise CycleNotPlannableError("no order lines are loaded yet: run `sop daily` first")
    if as_of is None:
        raise CycleNotPlannableError(
            f"no order lines in {home / 'landing'} nor in the warehouse: drop your extracts "
            "there (see `sop init`), or pass --as-of"
        )
    return as_of


def _window(home: Path, as_of: date):
    """The plannable cycles of the loaded data as of ``as_of``."""
    from orchestration.cycles import cycle_window, min_history_months, warehouse_order_history
    from orchestration.settings import platform_settings

    history = warehouse_order_history(home / "warehouse.duckdb")
    return cycle_window(history, as_of, min_history_months(platform_settings(home)))


def _cycles(home: Path, as_of: date, first: date, last: date) -> list[str]:
    """Partition keys ``first`` .. ``last``, each checked against the data (one-line error)."""
    from orchestration.cycles import CycleNotPlannableError, add_months

    if first > last:
        raise CycleNotPlannableError(f"--from {first:%Y-%m} is after --to {last:%Y-%m}")
    window = _window(home, as_of)
    keys, month = [], first
    while month <= last:
        window.check(month)
        keys.append(month.isoformat())
        month = add_months(month, 1)
    return keys


def _forecast_then_plan(instance, as_of: date, keys: list[str]) -> bool:
    """Forecast cycles in order, the planning job for the last one, then the retrospective of
    every earlier cycle (the planning build's performance marts cover them all)."""
    *earlier, latest = keys
    ok = True
    for index, key in enumerate(earlier, start=1):
        ok = (
            _run("forecast_cycle_job", instance, as_of, key, step=f"  cycle {index}/{len(keys)}")
            and ok
        )
    planned = _run("planning_job", instance, as_of, latest, step=f"  cycle {len(keys)}/{len(keys)}")
    if planned:
        for key in earlier:
            planned = _run("retrospective_job", instance, as_of, key) and planned
    return planned and ok


def cmd_init(args: argparse.Namespace) -> int:
    from orchestration.home_init import init_home

    home = _home(args)
    for line in init_home(
        home, args.company, args.currency, args.timezone, args.holiday_calendar, args.lang
    ):
        _say(line)
    _say(
        f"\nNext: drop your extracts into {home / 'landing'} (layout: docs/SOURCE_CONTRACTS.md),"
        f" then `{PROG} status` and `{PROG} run`."
    )
    return 0


def cmd_daily(args: argparse.Namespace) -> int:
    home = _home(args)
    as_of = _as_of(home, args.as_of)
    _require_pii_key(home)
    return 0 if _run("daily_job", _instance(home), as_of) else 1


def cmd_cycle(args: argparse.Namespace) -> int:
    home = _home(args)
    as_of = _as_of(home, args.as_of, loaded_only=True)
    [key] = _cycles(home, as_of, args.month, args.month)
    return 0 if _run("forecast_cycle_job", _instance(home), as_of, key) else 1


def cmd_plan(args: argparse.Namespace) -> int:
    home = _home(args)
    as_of = _as_of(home, args.as_of, loaded_only=True)
    [key] = _cycles(home, as_of, args.month, args.month)
    return 0 if _run("planning_job", _instance(home), as_of, key) else 1


def cmd_backfill(args: argparse.Namespace) -> int:
    home = _home(args)
    as_of = _as_of(home, args.as_of, loaded_only=True)
    keys = _cycles(home, as_of, args.from_month, args.to_month)
    return 0 if _forecast_then_plan(_instance(home), as_of, keys) else 1


def cmd_run(args: argparse.Namespace) -> int:
    """Demo (optional), daily, the backfill cycles and the plan of the latest closed month."""
    from orchestration.cycles import add_months
    from orchestration.settings import platform_settings

    home = _home(args)
    _say(f"SOP_HOME = {home}")
    if args.demo:
        as_of = args.as_of or date.today()
        _generate_demo(home, as_of, args.seed)
    else:
        as_of = _as_of(home, args.as_of)
        _require_pii_key(home)
        _say(
            f"  as of {as_of} ("
            + ("--as-of" if args.as_of else "the day after the newest order")
            + ")"
        )
    instance = _instance(home)
    ok = _run("daily_job", instance, as_of)
    if ok:
        window = _window(home, as_of)
        backfill = int(platform_settings(home)["schedules"]["backfill_cycles"])
        first = max(window.first, add_months(window.last, -backfill))
        ok = _forecast_then_plan(instance, as_of, _cycles(home, as_of, first, window.last))
    if ok:
        _print_accuracy(home)
    _print_where(home)
    return 0 if ok else 1


def cmd_approve(args: argparse.Namespace) -> int:
    """Check the approval read-only (one-line refusal), then run approval_job for the cycle."""
    import duckdb

    from orchestration.approvals import approval_refusal

    home = _home(args)
    warehouse = home / "warehouse.duckdb"
    if not warehouse.is_file():
        raise PlatformUsageError(f"no warehouse in {home}: run `{PROG} run` or `{PROG} plan` first")
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        refusal = approval_refusal(conn, args.cycle, args.scenario, args.by)
    if refusal:
        raise PlatformUsageError(refusal)
    as_of = _as_of(home, args.as_of, loaded_only=True)
    config = {
        "audit__plan_approvals": {
            "config": {"scenario": args.scenario, "approved_by": args.by, "note": args.note or ""}
        }
    }
    ok = _run("approval_job", _instance(home), as_of, args.cycle.isoformat(), ops_config=config)
    if ok:
        _say(f"  {args.cycle:%Y-%m} plan: {args.scenario} (approved by {args.by.strip()})")
    return 0 if ok else 1


def cmd_scenario_run(args: argparse.Namespace) -> int:
    """Load and check the scenario files, then build the plans of the cycle per scenario."""
    from orchestration.scenarios import ScenarioError
    from orchestration.scenarios.run import run_scenarios

    home = _home(args)
    try:
        runs = run_scenarios(home, args.cycle, args.scenario or None)
    except (ScenarioError, RuntimeError) as error:
        _say(f"scenario run refused: {error}")
        return 1
    ran = runs.loc[runs["cycle_month"].astype(str).str[:7] == f"{args.cycle:%Y-%m}", "scenario"]
    _say(f"cycle {args.cycle:%Y-%m}: plans built for base and {', '.join(ran) or 'no scenario'}")
    _say("  compare them in marts.mart_* where scenario = '<name>' (base = the untouched plan)")
    return 0


def cmd_scenario_list(args: argparse.Namespace) -> int:
    """The scenario files of the home and the cycles each was run for."""
    from orchestration.scenarios.load import scenario_dir
    from orchestration.scenarios.run import list_scenarios

    home = _home(args)
    folder = scenario_dir(home)
    files = sorted(p.name for p in folder.glob("*.y*ml")) if folder.is_dir() else []
    _say(f"scenario files in {folder}: {', '.join(files) or '(none; see docs/SCENARIOS.md)'}")
    for row in list_scenarios(home).to_dict("records"):
        _say(
            f"  {row['cycle_month']:%Y-%m}  {row['scenario']:<24} {row['file']}  "
            f"{row['description'] or ''}"
        )
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from orchestration.status import home_status

    _say("\n".join(home_status(_home(args), args.as_of)))
    return 0


def _generate_demo(home: Path, as_of: date, seed: int) -> None:
    from demo_company import DemoConfig, generate

    started = time.perf_counter()
    summary = generate(DemoConfig(as_of=as_of, seed=seed), home / "landing")
    _say(
        f"  demo company extracts written    {sum(summary.rows.values()):>8} rows  "
        f"{time.perf_counter() - started:6.1f} s"
    )


def _print_accuracy(home: Path) -> None:
    """Accuracy (1 - WAPE floored at 0, WAPE beside it) and bias at the forecasting grain, and
    the P10-P90 coverage of each level's own band.

    Read from the dbt model reports.rpt_accuracy_summary (the ratios of the metrics of
    mart_forecast_accuracy over all cycles; orchestration/sql/accuracy_summary.sql). The mart measures errors at sku x region x
    channel and sums them over a slice, so WAPE is the same for every slice level; the bands
    are made per level, so coverage is not.
    """
    import duckdb

    from orchestration.warehouse_io import query

    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        rows = query(conn, "accuracy_summary")
    if rows.empty or not rows["cycles"].max():
        return
    grain = rows[rows["level"] == "sku_region_channel"]
    _say(
        f"\nForecast accuracy over {int(rows['cycles'].max())} scored cycles at sku x region x "
        "channel (accuracy = 1 - WAPE, floored at 0):"
    )
    for window, part in grain.groupby("lag_window", sort=False):
        cells = [
            f"{r.method} {r.forecast_accuracy:.1%} (WAPE {r.wape:.3f}, bias {r.bias:+.1%})"
            for r in part.itertuples()
            if r.wape == r.wape
        ]  # NaN: no consensus input
        if cells:
            _say(f"  {window:<9} " + "; ".join(cells))
    bands = rows[(rows["method"] == "statistical") & (rows["lag_window"] == "lags 1-6")]
    names = {
        "total": "total",
        "product_line": "product line",
        "product_line_region": "product line x region",
        "sku_region_channel": "sku x region x channel",
    }
    shown = [
        f"{names.get(str(r['level']), r['level'])} {r['interval_coverage']:.0%}"
        for r in bands.to_dict("records")
        if r["interval_coverage"] == r["interval_coverage"]  # NaN: not scored yet
    ]
    if shown:
        _say("  P10-P90 coverage, lags 1-6 (nominal 80%): " + ", ".join(shown))


def _print_where(home: Path) -> None:
    reports = sorted((home / "reports").glob("*.html"))
    _say("\nWhere to look:")
    _say(f"  warehouse (working copy)   {home / 'warehouse.duckdb'}")
    _say(f"  published for BI tools     {home / 'published' / 'current'}")
    _say(f"  landing files              {home / 'landing'}")
    if reports:
        _say(f"  monthly retrospective      {reports[-1]}")
    if _console is not None and _console.log_path is not None:
        _say(f"  full log                   {_console.log_path}")
    _say("  Dagster UI                 make ui  (http://127.0.0.1:3000)")


def build_parser() -> argparse.ArgumentParser:
    """The ``sop`` argument parser: one sub-command per job or task, each with ``--help``."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--home",
        type=Path,
        default=None,
        metavar="DIR",
        help="the home folder (landing/, warehouse, reports); default: $SOP_HOME, else ./data",
    )
    common.add_argument(
        "--verbose",
        action="store_true",
        help="stream Dagster's, dbt's and the models' logs to the terminal "
        "(otherwise they go to $SOP_HOME/logs/, named at the end)",
    )
    as_of = argparse.ArgumentParser(add_help=False)
    as_of.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="the run's 'today' for freshness checks and closed months "
        "(default: the day after the newest order date in the data)",
    )
    month = argparse.ArgumentParser(add_help=False)
    month.add_argument(
        "--month",
        type=_month,
        required=True,
        metavar="YYYY-MM",
        help="the planning cycle: the month the plan is made as of (must be closed)",
    )

    parser = argparse.ArgumentParser(
        prog=PROG,
        description=__doc__.replace("``", "").replace("::", ":"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"`{PROG} COMMAND --help` explains each command.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = sub.add_parser(
        "init",
        parents=[common],
        help="start a company's home: platform.yml "
        "and the landing layout (never touches existing files)",
        description="Write a commented platform.yml for your company and "
        "create the empty landing folders, one per source "
        "contract. Existing files are kept as they are.",
    )
    init.add_argument("--company", default="My Company", help="company name on the report")
    init.add_argument("--currency", default="EUR", help="ISO 4217 currency code (default EUR)")
    init.add_argument("--timezone", default="UTC", help="the schedules' timezone (default UTC)")
    init.add_argument(
        "--holiday-calendar",
        default="none",
        choices=["none", "chinese"],
        help="holiday drivers of the forecast (default none)",
    )
    init.add_argument("--lang", default="en", choices=["en", "zh"], help="report language")
    init.set_defaults(func=cmd_init)

    daily = sub.add_parser(
        "daily",
        parents=[common, as_of],
        help="ingest new extracts, rebuild the warehouse, run the checks",
        description="daily_job: load new or changed landing files into the "
        "raw tables (bad rows to the quarantine), dbt build, "
        "and the data-quality checks.",
    )
    daily.set_defaults(func=cmd_daily)

    cycle = sub.add_parser(
        "cycle",
        parents=[common, as_of, month],
        help="one planning cycle's forecasts (statistical and consensus)",
        description="forecast_cycle_job for one month, reading only what "
        "was known by the end of it. Run `sop daily` first.",
    )
    cycle.set_defaults(func=cmd_cycle)

    plan = sub.add_parser(
        "plan",
        parents=[common, as_of, month],
        help="the planning job of one cycle: forecasts, plans, report, publish",
        description="planning_job for one month: its forecasts, the "
        "operations and financial plans, performance marts, the "
        "monthly retrospective and the publish for BI tools.",
    )
    plan.set_defaults(func=cmd_plan)

    backfill = sub.add_parser(
        "backfill",
        parents=[common, as_of],
        help="forecast cycles FROM..TO in order, then plan the last",
        description="forecast_cycle_job for each month from --from to --to "
        "(so accuracy by lag can be scored), then planning_job "
        "for --to.",
    )
    backfill.add_argument(
        "--from",
        dest="from_month",
        type=_month,
        required=True,
        metavar="YYYY-MM",
        help="first cycle",
    )
    backfill.add_argument(
        "--to",
        dest="to_month",
        type=_month,
        required=True,
        metavar="YYYY-MM",
        help="last cycle (planned)",
    )
    backfill.set_defaults(func=cmd_backfill)

    run = sub.add_parser(
        "run",
        parents=[common, as_of],
        help="everything: daily, backfill of schedules.backfill_cycles, plan of "
        "the latest closed month (--demo: on the demo company)",
        description="The whole pipeline: sop daily, then the "
        "schedules.backfill_cycles cycles before the latest closed "
        "month, then sop plan of that month. Without --demo it runs "
        "on the home's own landing files; with --demo it first "
        "writes the demo company's extracts there (refused if the "
        "folder holds files the demo did not write).",
    )
    run.add_argument(
        "--demo",
        action="store_true",
        help="generate the embedded demo company first (as of --as-of, default today)",
    )
    run.add_argument("--seed", type=int, default=42, help="the demo's random seed (with --demo)")
    run.set_defaults(func=cmd_run)

    approve = sub.add_parser(
        "approve",
        parents=[common, as_of],
        help="approve a scenario as a cycle's plan (kept in an audit table)",
        description="approval_job: append who approved which scenario for the cycle, when and "
        "why to audit.plan_approvals (approving again keeps the history), then rebuild the plan "
        "selection, the performance marts, the retrospective and the BI publish, which all "
        "measure against the cycle's latest approval (base until one is recorded). Refused "
        "for a cycle without a plan or a scenario not run for the cycle.",
    )
    approve.add_argument(
        "--cycle", type=_month, required=True, metavar="YYYY-MM", help="the planning cycle"
    )
    approve.add_argument(
        "--scenario", required=True, metavar="NAME", help="the scenario (base: the untouched plan)"
    )
    approve.add_argument("--by", required=True, metavar="NAME", help="who approves it")
    approve.add_argument("--note", default="", help="why (kept with the approval)")
    approve.set_defaults(func=cmd_approve)

    scenario = sub.add_parser(
        "scenario",
        help="what-if scenarios: run them for a cycle, list them",
        description="Scenario files ($SOP_HOME/scenarios/<name>.yml, docs/SCENARIOS.md) "
        "adjust a cycle's base plan; `run` checks and loads them and rebuilds the plans "
        "per scenario, reusing the cycle's forecast.",
    )
    scenario_sub = scenario.add_subparsers(dest="scenario_command", required=True)
    scenario_run = scenario_sub.add_parser(
        "run",
        parents=[common],
        help="check and load the scenario files, build the cycle's plans per scenario",
    )
    scenario_run.add_argument(
        "--cycle", type=_month, required=True, metavar="YYYY-MM", help="the planning cycle"
    )
    scenario_run.add_argument(
        "--scenario",
        action="append",
        metavar="NAME",
        help="a scenario to run (repeatable; default every file)",
    )
    scenario_run.set_defaults(func=cmd_scenario_run)
    scenario_list = scenario_sub.add_parser(
        "list", parents=[common], help="the scenario files and the cycles they were run for"
    )
    scenario_list.set_defaults(func=cmd_scenario_list)

    status = sub.add_parser(
        "status",
        parents=[common, as_of],
        help="what is loaded, the newest order date, the plannable cycles",
        description="Read-only summary of the home: settings, landing files "
        "and loaded rows per source, the order history, the "
        "as-of date and the cycles the data supports.",
    )
    status.set_defaults(func=cmd_status)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``sop`` and ``python -m orchestration.cli``; returns the exit code."""
    from demo_company import ForeignLandingFilesError
    from orchestration.cycles import CycleNotPlannableError
    from orchestration.settings_schema import SettingsError

    global _console
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (
        CycleNotPlannableError,
        ForeignLandingFilesError,
        PlatformUsageError,
        SettingsError,
    ) as error:
        print(f"{PROG} {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: stopped (Ctrl-C)", file=sys.stderr)
        return 130
    finally:
        _console = None  # the terminal it kept aside belongs to this command only


if __name__ == "__main__":
    sys.exit(main())
