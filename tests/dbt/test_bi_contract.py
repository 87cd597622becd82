"""The marts' names, columns, column order and types are a contract for BI users."""

from __future__ import annotations

import json

from bi_contract import SNAPSHOT, mart_columns


def test_no_mart_or_column_changes_unnoticed():
    before = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    now = mart_columns()
    removed = sorted(set(before) - set(now))
    assert not removed, f"marts BI users read are gone: {removed}"
    changed = {
        mart: {"before": columns, "now": now[mart]}
        for mart, columns in before.items()
        if now[mart] != columns
    }
    assert not changed, (
        f"columns, their order or their types changed in {sorted(changed)}: {changed}. "
        "If deliberate (a new column, said in the closing note), rewrite the snapshot with "
        "`python tests/dbt/bi_contract.py`."
    )
    added = sorted(set(now) - set(before))
    assert not added, f"new marts {added}: add them with `python tests/dbt/bi_contract.py`"
