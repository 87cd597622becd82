"""Which dbt failures are worth a retry, and the one-line description of a failed build."""

import pytest

from data_quality.dbt_results import DbtResult
from orchestration.dbt_build import failure_description, is_transient


@pytest.mark.parametrize(
    "text, transient",
    [
        (
            'IO Error: Could not set lock on file "/x/warehouse.duckdb": Conflicting lock is held',
            True,
        ),
        ("Runtime Error in model fct_order_lines: Binder Error", False),
    ],
)
def test_only_the_lock_is_transient(text, transient):
    assert is_transient(text) is transient


def test_description_names_the_first_failures_and_counts_the_rest():
    failures = [
        DbtResult(
            check=f"not_null_t_c{i}",
            table="marts.t",
            kind="dbt_test",
            node_type="not_null",
            severity="critical",
            success=False,
            status="fail",
            failures=i + 1,
        )
        for i in range(5)
    ]
    assert failure_description(failures) == (
        "dbt test not_null_t_c0 on marts.t failed: 1 row; dbt test not_null_t_c1 on marts.t failed: "
        "2 rows; dbt test not_null_t_c2 on marts.t failed: 3 rows; and 2 more"
    )


def test_old_dbt_targets_are_pruned_newest_kept(tmp_path):
    from orchestration.dbt_build import prune_targets

    root = tmp_path / "dbt" / "target"
    for stamp in ["20261101T0100", "20261102T0100", "20261103T0100", "20261104T0100"]:
        (root / f"{stamp}-warehouse_dbt_models-abc").mkdir(parents=True)
    stale = prune_targets(tmp_path, keep=2)
    assert [p.name[:13] for p in stale] == ["20261101T0100", "20261102T0100"]
    assert sorted(p.name[:13] for p in root.iterdir()) == ["20261103T0100", "20261104T0100"]


def test_a_new_target_gets_the_newest_partial_parse(tmp_path):
    from orchestration.dbt_build import PARTIAL_PARSE_FILE, seed_partial_parse

    root = tmp_path / "dbt" / "target"
    for stamp, content in [("20261101T0100", b"old"), ("20261102T0100", b"new")]:
        folder = root / f"{stamp}-warehouse_dbt_models-abc"
        folder.mkdir(parents=True)
        (folder / PARTIAL_PARSE_FILE).write_bytes(content)
    (root / "20261103T0100-planning_dbt_models-abc").mkdir()  # a build that never parsed
    target = root / "20261104T0100-warehouse_dbt_models-def"
    seed = seed_partial_parse(root, target)
    assert seed is not None and seed.parent.name.startswith("20261102T0100")
    assert (target / PARTIAL_PARSE_FILE).read_bytes() == b"new"


def test_the_first_target_of_a_home_starts_without_a_partial_parse(tmp_path):
    from orchestration.dbt_build import seed_partial_parse

    target = tmp_path / "20261104T0100-warehouse_dbt_models-def"
    assert seed_partial_parse(tmp_path, target) is None
    assert not target.exists()
