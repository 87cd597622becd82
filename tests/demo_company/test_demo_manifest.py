"""The demo writes only into a landing folder it owns, and says which file stopped it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from demo_company import MANIFEST_NAME, DemoConfig, ForeignLandingFilesError, generate
from tests.own_company import landing_checksums, write_own_company

TINY = DemoConfig(n_skus=4, n_customers=12, start_month="2025-10", as_of=date(2026, 1, 5))


def test_demo_refuses_a_company_landing_folder_and_leaves_it_byte_identical(tmp_path):
    landing = tmp_path / "landing"
    write_own_company(landing)
    before = landing_checksums(landing)
    with pytest.raises(ForeignLandingFilesError, match=r"masters/customers\.csv") as refused:
        generate(TINY, landing)
    assert "did not write" in str(refused.value)
    assert landing_checksums(landing) == before
    assert not (landing / MANIFEST_NAME).exists()


def test_demo_regenerates_into_its_own_landing_and_drops_its_stale_files(tmp_path):
    first = generate(TINY, tmp_path)
    daily = [p for p in first.files["order_lines"] if p.endswith("2026-01-01.csv")]
    assert daily and (tmp_path / MANIFEST_NAME).is_file()
    later = generate(replace(TINY, as_of=date(2026, 2, 3)), tmp_path)
    assert not (tmp_path / daily[0]).exists(), "January's daily file is now in the monthly file"
    assert "sales/order_lines/order_lines_2026-01.csv" in later.files["order_lines"]
    on_disk = set(landing_checksums(tmp_path)) - {MANIFEST_NAME}
    assert on_disk == {p for files in later.files.values() for p in files}


def test_demo_refuses_its_own_file_once_someone_changed_it(tmp_path):
    summary = generate(TINY, tmp_path)
    edited = tmp_path / summary.files["products"][0]
    edited.write_text(edited.read_text() + "\n", encoding="utf-8")
    with pytest.raises(ForeignLandingFilesError, match="products"):
        generate(TINY, tmp_path)


def test_demo_command_line_prints_a_one_line_refusal(tmp_path, capsys):
    from demo_company.__main__ import main

    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SystemExit, match="notes.txt"):
        main(
            [
                "--landing",
                str(tmp_path),
                "--as-of",
                "2026-01-05",
                "--start-month",
                "2025-10",
                "--skus",
                "4",
                "--customers",
                "12",
            ]
        )
