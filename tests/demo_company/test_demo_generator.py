"""Determinism, contract conformance and the default demo's size."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow.parquet as pq
from python_calamine import CalamineWorkbook

from demo_company import DemoConfig, generate
from ingestion.contracts import CONTRACTS


def _hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_config_gives_byte_identical_files(small_config, clean_landing, tmp_path):
    landing, _ = clean_landing
    generate(small_config, tmp_path)
    assert _hashes(tmp_path) == _hashes(landing)


def test_other_seed_gives_other_orders(small_config, clean_landing, tmp_path):
    from dataclasses import replace

    landing, summary = clean_landing
    generate(replace(small_config, seed=7), tmp_path)
    path = summary.files["order_lines"][0]
    assert (tmp_path / path).read_bytes() != (landing / path).read_bytes()


def _carried(contract, names):
    """Contract columns in contract order: every required one, optional ones only if present."""
    return [c.name for c in contract.columns if c.required or c.name in names]


def test_every_contract_has_files_matching_glob_and_columns(clean_landing):
    landing, summary = clean_landing
    for name, contract in CONTRACTS.items():
        files = sorted(landing.glob(contract.file_glob))
        assert files, f"no file for contract {name}"
        assert sorted(str(f.relative_to(landing)) for f in files) == sorted(summary.files[name])
        for f in files:
            if contract.format == "csv":
                header = f.read_text().split("\n", 1)[0].split(",")
                assert header == _carried(contract, header), f
            elif contract.format == "parquet":
                names = pq.read_schema(f).names
                assert names == _carried(contract, names), f
            else:
                rows = CalamineWorkbook.from_path(str(f)).get_sheet_by_name("forecast").to_python()
                assert rows[0][0] == "product_line"
                assert len(rows[0]) == 7 and all(len(str(c)) == 7 for c in rows[0][1:])


def test_file_layout_monthly_history_then_daily(small_config, clean_landing):
    landing, summary = clean_landing
    names = [Path(p).name for p in summary.files["order_lines"]]
    assert names[0] == "order_lines_2025-01.csv"
    assert "order_lines_2026-02.csv" in names
    assert names[-1] == "order_lines_2026-03-09.csv"
    assert len([n for n in names if n.startswith("order_lines_2026-03-")]) == 9
    budgets = sorted(Path(p).name for p in summary.files["budget"])
    assert budgets == ["budget_2025.csv", "budget_2026.csv"]
    assert Path(summary.files["gl_actuals"][-1]).name == "gl_actuals_2026-02.csv"
    assert Path(summary.files["sales_team_forecast"][0]).name == "forecast_EAST_2026-01.xlsx"


def test_default_demo_has_a_realistic_size(tmp_path):
    """The default demo's size (its generation time is ``make bench``'s to measure)."""
    summary = generate(DemoConfig(), tmp_path)
    assert summary.rows["order_lines"] > 50_000
    assert 40 <= summary.rows["products"] <= 60
