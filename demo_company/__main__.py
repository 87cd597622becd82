"""Command line: ``python -m demo_company --landing DIR [--as-of YYYY-MM-DD] [--fault NAME ...]``."""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from demo_company.config import FAULT_KINDS, DemoConfig, FaultConfig
from demo_company.generator import deliver_late_files, generate
from demo_company.manifest import ForeignLandingFilesError


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m demo_company", description=__doc__)
    p.add_argument("--landing", type=Path, required=True, help="landing folder to write into")
    p.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=None,
        help="export date (default: today); history ends the day before",
    )
    p.add_argument("--start-month", default=None, help="first history month, YYYY-MM")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--skus", type=int, default=None)
    p.add_argument("--customers", type=int, default=None)
    p.add_argument(
        "--fault",
        action="append",
        default=[],
        choices=[*FAULT_KINDS, "all"],
        help="inject a fault (repeatable); 'all' switches every fault on",
    )
    p.add_argument(
        "--deliver-late",
        action="store_true",
        help="also write the files the late_file fault withheld",
    )
    return p.parse_args(argv)


def config_from_args(args: argparse.Namespace) -> DemoConfig:
    """Defaults of DemoConfig, overridden by the options given; as_of defaults to today."""
    overrides: dict[str, Any] = {"as_of": args.as_of or date.today()}
    for key, value in (
        ("start_month", args.start_month),
        ("seed", args.seed),
        ("n_skus", args.skus),
        ("n_customers", args.customers),
    ):
        if value is not None:
            overrides[key] = value
    faults = FaultConfig.all_on() if "all" in args.fault else FaultConfig.only(*args.fault)
    return replace(DemoConfig(), faults=faults, **overrides)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    config = config_from_args(args)
    started = time.perf_counter()
    try:
        summary = generate(config, args.landing)
    except ForeignLandingFilesError as refused:
        raise SystemExit(f"error: {refused}") from None
    if args.deliver_late:
        deliver_late_files(summary)
    elapsed = time.perf_counter() - started
    print(
        f"demo company as of {config.as_of}: {summary.n_files} files in {args.landing} "
        f"({elapsed:.1f} s)"
    )
    for source in sorted(summary.rows):
        print(
            f"  {source:<22} {len(summary.files.get(source, [])):>5} files {summary.rows[source]:>10} rows"
        )
    print("stats: " + json.dumps(summary.stats))
    if summary.faults:
        print("injected faults:")
        for fault in summary.fault_manifest:
            print("  " + json.dumps(fault))


if __name__ == "__main__":
    main()
