"""Writing the demo one source at a time gives what building every file at once gives."""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo_company import FaultConfig
from demo_company.extracts import build_outputs, output_groups
from demo_company.faults import FaultPlan
from demo_company.generator import simulate
from demo_company.writer import rows_by_period, split_by_period


def test_fault_plan_group_by_group_equals_all_at_once(small_config):
    cfg = small_config
    sim = simulate(cfg)
    whole = FaultPlan(FaultConfig.all_on(), build_outputs(cfg, sim))
    grouped = FaultPlan(FaultConfig.all_on())
    for group in output_groups(cfg, sim):
        grouped.add(group)
    assert grouped.targets == whole.targets
    assert grouped.late_file == whole.late_file is not None
    assert len(whole.targets) == 7


def test_rows_by_period_are_the_rows_of_split_by_period():
    start, as_of = pd.Timestamp("2025-11-20"), pd.Timestamp("2026-02-04")
    rng = np.random.default_rng(3)
    offsets = rng.integers(-5, 90, 500)  # some rows before the start and after as_of
    frame = pd.DataFrame(
        {"day": pd.Series(start + pd.to_timedelta(offsets, unit="D")), "i": np.arange(500)}
    )
    split = split_by_period(frame, "day", start, as_of)
    rows = rows_by_period(offsets, start, start, as_of)
    assert [label for label, _ in rows] == [label for label, _ in split]
    for (_, positions), (_, chunk) in zip(rows, split, strict=True):
        assert positions.tolist() == chunk["i"].tolist()
    assert sum(len(p) for _, p in rows) < 500  # rows after as_of belong to no file
