"""Replacing a cycle's rows never duplicates them, and a table from an older version grows."""

import duckdb
import pandas as pd

from orchestration.warehouse_io import replace_partition


def test_replace_is_idempotent_and_adds_new_columns_to_an_older_table():
    conn = duckdb.connect()
    old = pd.DataFrame({"cycle_month": ["2026-01-01"] * 2, "sku": ["A", "B"], "p50": [1.0, 2.0]})
    replace_partition(conn, "ml.forecast", old, "cycle_month", "2026-01-01")
    replace_partition(conn, "ml.forecast", old, "cycle_month", "2026-01-01")
    assert conn.execute("select count(*) from ml.forecast").fetchone()[0] == 2

    new = old.assign(cycle_month="2026-02-01", naive_method="seasonal_naive")
    replace_partition(conn, "ml.forecast", new, "cycle_month", "2026-02-01")
    rows = conn.execute("select cycle_month, naive_method from ml.forecast order by all").fetchall()
    assert rows == [
        ("2026-01-01", None),
        ("2026-01-01", None),
        ("2026-02-01", "seasonal_naive"),
        ("2026-02-01", "seasonal_naive"),
    ]


def test_a_locked_warehouse_is_waited_for_then_named_with_the_one_instance_rule(tmp_path):
    import subprocess
    import sys

    import pytest

    from orchestration.resources import SopHome, Warehouse, WarehouseLockedError

    home = SopHome(path=str(tmp_path))
    duckdb.connect(str(home.warehouse_path)).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
            "print('locked', flush=True); time.sleep(60)",
            str(home.warehouse_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        locked = Warehouse(home=home, lock_wait_seconds=1.0)
        with (
            pytest.raises(WarehouseLockedError, match="One home has one Dagster instance"),
            locked.connect(),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()
    with Warehouse(home=home, lock_wait_seconds=5.0).connect() as conn:  # free again: opens
        assert conn.execute("select 1").fetchone() == (1,)
