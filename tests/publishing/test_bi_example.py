"""The SQLAlchemy example of ``docs/BI.md`` runs, as written, against a published file."""

import re
from pathlib import Path

from published_warehouse import make_warehouse

from publishing import publish_marts

BI_DOC = Path(__file__).resolve().parents[2] / "docs" / "BI.md"


def _example() -> str:
    [code] = re.findall(r"```python\n(.*?)```", BI_DOC.read_text(encoding="utf-8"), flags=re.S)
    return code


def test_sqlalchemy_example_reads_the_current_published_version(tmp_path, capsys):
    home = tmp_path / "sop"
    home.mkdir()
    make_warehouse(home / "warehouse.duckdb", demand_rows=9)
    publish_marts(home / "warehouse.duckdb", home / "published")
    code = _example()
    assert 'connect_args={"read_only": True}' in code
    code, replaced = re.subn(r'^sop_home = ".*?"', f"sop_home = {str(home)!r}", code, flags=re.M)
    assert replaced == 1

    namespace: dict = {}
    exec(compile(code, str(BI_DOC), "exec"), namespace)

    rows = [tuple(r) for r in namespace["demand_by_month"]]
    assert [r[1] for r in rows] == [90, 120, 150]
    assert str(rows[-3:]) in capsys.readouterr().out
