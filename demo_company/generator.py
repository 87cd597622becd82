"""Entry point of the simulator: run every component and write the landing files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from demo_company import extracts
from demo_company.calendar import daily_index
from demo_company.config import DemoConfig
from demo_company.demand import simulate_orders
from demo_company.faults import FaultPlan, InjectedFault
from demo_company.finance import (
    annual_budget,
    build_invoices,
    monthly_ledger,
    simulate_receipts,
    simulate_returns,
)
from demo_company.manifest import (
    claim_landing,
    read_manifest,
    remove_stale,
    sha256_bytes,
    write_manifest,
)
from demo_company.masters import build_bom, build_customers, build_products, build_promotions
from demo_company.sales_input import forecast_workbooks
from demo_company.supply import capacity_plan, simulate_supply
from demo_company.writer import Output, csv_bytes, parquet_bytes, render_text


@dataclass
class GenerationSummary:
    """What a generation wrote: files and data rows per source, faults, withheld files.

    ``faults`` lists every injected fault (see ``demo_company.faults``);
    ``pending_late_files`` holds the bytes of files withheld by the
    ``late_file`` fault, keyed by path under landing, for ``deliver_late_files``.
    ``stats`` carries a few business figures of the simulated history.
    """

    landing_dir: Path
    files: dict[str, list[str]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    faults: list[InjectedFault] = field(default_factory=list)
    pending_late_files: dict[str, bytes] = field(default_factory=dict)
    stats: dict[str, float] = field(default_factory=dict)

    @property
    def fault_manifest(self) -> list[dict]:
        """The injected faults as plain dicts (source, file, row_number, kind...)."""
        return [f.as_dict() for f in self.faults]

    @property
    def n_files(self) -> int:
        return sum(len(v) for v in self.files.values())


def simulate(cfg: DemoConfig) -> dict[str, Any]:
    """Run the company for its whole history and return the in-memory tables."""
    as_of = pd.Timestamp(cfg.as_of)
    days = daily_index(cfg.start_date, as_of.date())
    products = build_products(cfg)
    customers = build_customers(cfg)
    promos = build_promotions(cfg, products)
    bom = build_bom(cfg, products)
    lines = simulate_orders(cfg, products, customers, promos, days)
    capacity = capacity_plan(cfg, products, lines, days)
    supply = simulate_supply(cfg, products, lines, days, capacity)
    lines["shipped"] = supply.shipped_qty
    ship = _shipped_lines(lines, len(days))
    returns = simulate_returns(cfg, ship, len(days))
    invoices = build_invoices(ship, customers)
    receipts = simulate_receipts(cfg, invoices, customers, len(days))
    gl = monthly_ledger(cfg, days, ship, returns, invoices, products, customers)
    budget = annual_budget(cfg, days, ship, products, gl)
    workbooks = forecast_workbooks(cfg, lines, products, days)
    return {
        "days": days,
        "products": products,
        "customers": customers,
        "promos": promos,
        "bom": bom,
        "lines": lines,
        "capacity": capacity,
        "supply": supply,
        "ship": ship,
        "returns": returns,
        "invoices": invoices,
        "receipts": receipts,
        "gl": gl,
        "budget": budget,
        "workbooks": workbooks,
    }


def _shipped_lines(lines: pd.DataFrame, n_days: int) -> pd.DataFrame:
    """Lines shipped within the history, by ship day, order and line: one copy of their rows."""
    shipped = np.flatnonzero(
        (lines["shipped"].to_numpy() > 0) & (lines["ship_day"].to_numpy() < n_days)
    )
    keys = [lines[c].to_numpy()[shipped] for c in ("line_number", "order", "ship_day")]
    return lines.take(shipped[np.lexsort(keys)]).reset_index(drop=True)


def _business_stats(sim: dict) -> dict[str, float]:
    lines = sim["lines"]
    in_sim = lines[lines["ship_day"] < len(sim["days"])]
    ordered, shipped = int(in_sim["qty"].sum()), int(in_sim["shipped"].sum())
    return {
        "ordered_units": ordered,
        "shipped_units": shipped,
        "unit_fill_rate": round(shipped / max(ordered, 1), 4),
        "lines_short_shipped_share": round(float((in_sim["shipped"] < in_sim["qty"]).mean()), 4),
        "returned_units": int(sim["returns"]["returned_qty"].sum()),
        "unpaid_invoices": int(len(sim["invoices"]) - len(sim["receipts"])),
    }


def generate(config: DemoConfig, landing_dir: Path) -> GenerationSummary:
    """Simulate the demo company and write every source extract under ``landing_dir``.

    Paths, formats and column order follow ``ingestion.contracts.CONTRACTS``.
    Writes only into a folder that is empty or holds nothing but the demo's own
    unchanged files (``landing/.demo_company`` lists them): anything else raises
    :class:`demo_company.manifest.ForeignLandingFilesError` before a byte is written.
    """
    landing_dir = Path(landing_dir)
    previous = claim_landing(landing_dir)
    sim = simulate(config)
    plan = FaultPlan(config.faults)
    summary = GenerationSummary(landing_dir=landing_dir, stats=_business_stats(sim))
    written: dict[str, str] = {}
    for group in extracts.output_groups(config, sim):
        plan.add(group)
        _write_group(group, plan, landing_dir, summary, written)
        del group  # one source's frames at a time
    for wb in sim["workbooks"]:
        region, period, wide = wb
        relpath = extracts.workbook_path(region, period)
        _write(landing_dir, relpath, extracts.workbook_bytes(wide), written)
        summary.files.setdefault("sales_team_forecast", []).append(relpath)
        cells = int(wide.shape[0] * (wide.shape[1] - 1))
        summary.rows["sales_team_forecast"] = summary.rows.get("sales_team_forecast", 0) + cells
    remove_stale(landing_dir, previous, written)
    write_manifest(landing_dir, written)
    return summary


def _write_group(
    group: list[Output],
    plan: FaultPlan,
    landing_dir: Path,
    summary: GenerationSummary,
    written: dict[str, str],
) -> None:
    """Render, break as planned and write one group of outputs; record them in ``summary``."""
    for out in group:
        content, injected, n_rows = _render(out, plan)
        summary.faults.extend(injected)
        if out.relpath == plan.late_file:
            summary.pending_late_files[out.relpath] = content
            summary.faults.append(
                InjectedFault(
                    "late_file",
                    out.source,
                    out.relpath,
                    None,
                    None,
                    f"{n_rows} rows withheld; deliver_late_files() writes the file later",
                )
            )
            continue
        _write(landing_dir, out.relpath, content, written)
        summary.files.setdefault(out.source, []).append(out.relpath)
        summary.rows[out.source] = summary.rows.get(out.source, 0) + n_rows


def _write(landing_dir: Path, relpath: str, content: bytes, written: dict[str, str]) -> None:
    path = landing_dir / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    written[relpath] = sha256_bytes(content)


def _render(out: Output, plan: FaultPlan) -> tuple[bytes, list[InjectedFault], int]:
    """Bytes of one output file after its planned faults, with the data rows it holds."""
    try:
        if out.contract.format == "parquet":
            return parquet_bytes(out), [], out.n_rows
        text, injected = plan.apply(out, render_text(out))
        if text is None:
            return b"", injected, 0
        return csv_bytes(text), injected, len(text)
    finally:
        out.release()


def deliver_late_files(summary: GenerationSummary, landing_dir: Path | None = None) -> list[Path]:
    """Write the files the ``late_file`` fault withheld, as a late delivery would."""
    root = Path(landing_dir) if landing_dir is not None else summary.landing_dir
    manifest = read_manifest(root)
    written = []
    for relpath, content in sorted(summary.pending_late_files.items()):
        _write(root, relpath, content, manifest)
        written.append(root / relpath)
        source = next(
            f.source for f in summary.faults if f.kind == "late_file" and f.file == relpath
        )
        summary.files.setdefault(source, []).append(relpath)
    summary.pending_late_files.clear()
    write_manifest(root, manifest)
    return written


__all__ = ["GenerationSummary", "deliver_late_files", "generate", "simulate"]
