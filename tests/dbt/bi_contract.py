"""The marts' columns as BI users see them, from the dbt manifest (every mart's contract is
enforced, so its YAML columns are its table's columns).

``python tests/dbt/bi_contract.py`` rewrites the snapshot ``bi_contract.json`` after a
deliberate change (a new mart or column); the test beside it fails on any other change.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("bi_contract.json")


def mart_columns() -> dict[str, list[str]]:
    """``{mart: ["column: data_type", ...]}`` in column order, for every model in marts."""
    from orchestration.dbt_manifest import prepare_manifest

    manifest = json.loads(prepare_manifest().read_text(encoding="utf-8"))
    marts = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or node["fqn"][1] != "marts":
            continue
        marts[node["name"]] = [
            f"{name}: {str(column.get('data_type') or '').lower()}"
            for name, column in node["columns"].items()
        ]
    return dict(sorted(marts.items()))


if __name__ == "__main__":
    SNAPSHOT.write_text(json.dumps(mart_columns(), indent=1) + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote {SNAPSHOT}\n")
