"""Each fault kind injects exactly what the manifest says, and nothing else changes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from demo_company import FAULT_KINDS, MANIFEST_NAME, FaultConfig, deliver_late_files, generate
from ingestion.contracts import CONTRACTS


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_every_fault_kind_is_recorded(faulty_landing):
    _, summary = faulty_landing
    assert {f.kind for f in summary.faults} == set(FAULT_KINDS)


def test_only_manifest_files_differ_from_clean_run(clean_landing, faulty_landing):
    clean, _ = clean_landing
    faulty, summary = faulty_landing
    a, b = _files(clean), _files(faulty)
    changed = {p for p in a if a[p] != b.get(p)} - {MANIFEST_NAME}  # it lists the files' hashes
    assert changed == {f.file for f in summary.faults}


def test_row_faults_are_where_the_manifest_says(clean_landing, faulty_landing):
    clean, _ = clean_landing
    faulty, summary = faulty_landing
    for fault in summary.faults:
        if fault.kind not in ("unknown_keys", "malformed_values", "negative_quantities"):
            continue
        before, after = _read(clean / fault.file), _read(faulty / fault.file)
        row = fault.row_number - 1
        assert before.loc[row, fault.column] != after.loc[row, fault.column]
        value = after.loc[row, fault.column]
        if fault.kind == "unknown_keys":
            master = _read(
                clean
                / CONTRACTS["products" if fault.column == "sku" else "customers"].file_glob.replace(
                    "*", ""
                )
            )
            assert value not in set(master[fault.column])
        elif fault.kind == "negative_quantities":
            assert int(value) < 0
        else:
            parsed = (
                pd.to_datetime(value, format="%Y-%m-%d", errors="coerce")
                if "date" in fault.column
                else pd.to_numeric(value, errors="coerce")
            )
            assert pd.isna(parsed)
    per_file = {}
    for fault in summary.faults:
        if fault.row_number is not None:
            per_file.setdefault(fault.file, set()).add(fault.row_number)
    for path, rows in per_file.items():
        before, after = _read(clean / path), _read(faulty / path)
        extra = set(range(len(before) + 1, len(after) + 1))
        common = after.iloc[: len(before)]
        differing = {i + 1 for i in range(len(before)) if not before.iloc[i].equals(common.iloc[i])}
        assert differing | extra == rows, path


def test_duplicates_copy_existing_rows(faulty_landing):
    faulty, summary = faulty_landing
    dups = [f for f in summary.faults if f.kind == "duplicate_rows"]
    assert len(dups) == 3
    frame = _read(faulty / dups[0].file)
    key = ["order_id", "line_number"]
    assert frame.duplicated(key).sum() == 3
    assert set(frame.index[frame.duplicated(key)] + 1) == {f.row_number for f in dups}


def test_structural_faults(faulty_landing):
    faulty, summary = faulty_landing
    by_kind = {f.kind: f for f in summary.faults}
    renamed = _read(faulty / by_kind["renamed_column"].file)
    assert "shipped_qty" not in renamed.columns and "qty_shipped" in renamed.columns
    missing = _read(faulty / by_kind["missing_column"].file)
    assert list(missing.columns) == [
        c for c in CONTRACTS["invoices"].column_names if c != "due_date"
    ]
    assert (faulty / by_kind["empty_file"].file).stat().st_size == 0


def test_late_file_is_withheld_then_delivered(clean_landing, tmp_path, small_config):
    clean, _ = clean_landing
    summary = generate(replace(small_config, faults=FaultConfig.only("late_file")), tmp_path)
    (late,) = [f for f in summary.faults if f.kind == "late_file"]
    assert not (tmp_path / late.file).exists()
    assert late.file.endswith(".csv") and len(Path(late.file).stem.rsplit("_", 1)[-1]) == 10
    written = deliver_late_files(summary)
    assert written == [tmp_path / late.file]
    assert (tmp_path / late.file).read_bytes() == (clean / late.file).read_bytes()
    assert _files(tmp_path) == _files(clean)


def test_unknown_fault_name_is_rejected():
    with pytest.raises(ValueError, match="unknown fault"):
        FaultConfig.only("gremlins")
