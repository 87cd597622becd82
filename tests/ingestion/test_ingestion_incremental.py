"""A daily run reads only new or changed files: unchanged ones are known by (name, size, mtime)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from own_company import OwnCompany, write_own_company

from ingestion import landing as landing_module
from ingestion.contracts import CONTRACTS
from ingestion.loader import load_all, load_source

MINIMAL = ["products", "customers", "order_lines"]
SMALL = OwnCompany(last_day=OwnCompany().first_month.replace(month=6, day=20))


@pytest.fixture
def hashed(monkeypatch) -> list[str]:
    """The names of the files whose content the loader hashes."""
    seen: list[str] = []
    original = landing_module.sha256_of

    def counting(path: Path) -> str:
        seen.append(path.name)
        return original(path)

    monkeypatch.setattr(landing_module, "sha256_of", counting)
    return seen


def test_unchanged_files_are_not_read_again(conn, landing, hashed):
    write_own_company(landing, SMALL)
    load_all(conn, landing, MINIMAL)
    assert len(hashed) == 8  # 2 masters + 6 monthly order files
    hashed.clear()

    new_day = landing / "sales/order_lines/order_lines_2019-07.csv"
    june = (landing / "sales/order_lines/order_lines_2019-06.csv").read_text(encoding="utf-8")
    new_day.write_text(june.replace("2019-06-", "2019-07-").replace("SO0", "SX0"), encoding="utf-8")
    result = load_source(conn, CONTRACTS["order_lines"], landing)

    assert hashed == ["order_lines_2019-07.csv"]
    assert result.files_loaded == 1
    ledger = conn.execute(
        "select count(*) from audit.load_ledger where file_size is null or file_mtime_ns is null"
    ).fetchone()[0]
    assert ledger == 0


def test_a_touched_file_is_hashed_and_a_changed_one_replaces_its_rows(conn, landing, hashed):
    write_own_company(landing, SMALL)
    load_all(conn, landing, MINIMAL)
    march = landing / "sales/order_lines/order_lines_2019-03.csv"
    rows_before = conn.execute("select count(*) from raw.order_lines").fetchone()[0]

    stat = march.stat()
    os.utime(march, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # same content, new mtime
    hashed.clear()
    assert load_source(conn, CONTRACTS["order_lines"], landing).files_loaded == 0
    assert hashed == ["order_lines_2019-03.csv"]
    hashed.clear()
    load_source(conn, CONTRACTS["order_lines"], landing)
    assert hashed == []  # the new mtime is in the ledger now

    lines = march.read_text(encoding="utf-8").splitlines(keepends=True)
    march.write_text("".join(lines[:-1]), encoding="utf-8")  # a corrected re-delivery
    load_source(conn, CONTRACTS["order_lines"], landing)
    assert conn.execute("select count(*) from raw.order_lines").fetchone()[0] == rows_before - 1
