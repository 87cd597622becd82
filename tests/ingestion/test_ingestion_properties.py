"""Property: malformed files of every source never crash the loader and lose no row.

Hypothesis generates files in each source's contract format (CSV lines with
stray quotes, CRs, CRLF, blank lines, wrong field counts and bad bytes;
Parquet columns of arbitrary text; workbooks with arbitrary cells). For every
file: rows read = rows loaded + rows quarantined (ledger, raw and quarantine
agree), every quarantined row has a reason, row numbers are distinct, and a
CSV's rows read are its non-blank physical data lines. A fixed, derandomized
example budget keeps it fast and deterministic in CI.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import xlsxwriter
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ingestion.contracts import CONTRACTS, SourceContract
from ingestion.errors import ContractViolation
from ingestion.loader import load_source
from ingestion.schema import ensure_audit_tables, ensure_raw_table
from ingestion.sql import qi

BUDGET = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.target],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
"""10 examples per source (150 files), no shrinking: a failure shows the generated file as is."""
KNOWN = ["P1", "C1", "INV1", "Home", "EAST", "L1", "W1"]
GARBAGE = st.text(alphabet=st.sampled_from(list('ab1 ,"\r\t;é中-.')), max_size=8)


def _value(column_type: str) -> st.SearchStrategy[str]:
    kind = column_type.upper()
    if kind == "DATE":
        good = st.dates(dt.date(2023, 1, 1), dt.date(2025, 12, 31)).map(dt.date.isoformat)
    elif kind in ("INTEGER", "BIGINT"):
        good = st.integers(-5, 500).map(str)
    elif kind == "VARCHAR":
        good = st.sampled_from(KNOWN)
    else:
        good = st.floats(-1, 1000, allow_nan=False).map(lambda x: f"{x:.2f}")
    return st.one_of(good, good, st.just(""), GARBAGE)


def _rows(contract: SourceContract) -> st.SearchStrategy[list[list[str]]]:
    row = st.tuples(*[_value(c.type) for c in contract.columns]).map(list)
    return st.lists(row, min_size=0, max_size=30)


def _csv_field(value: str, quote: bool) -> str:
    return '"' + value.replace('"', '""') + '"' if quote else value


@st.composite
def csv_bytes(draw, contract: SourceContract) -> bytes:
    lines = [",".join(contract.column_names).encode()]
    for row in draw(_rows(contract)):
        fields = [_csv_field(v, draw(st.booleans())) for v in row]
        mutation = draw(
            st.sampled_from(["none"] * 6 + ["drop", "add", "blank", "badbyte", "quote"])
        )
        if mutation == "drop" and fields:
            fields.pop()
        elif mutation == "add":
            fields.append("extra")
        line = ",".join(fields).encode()
        if mutation == "blank":
            line = b""
        elif mutation == "badbyte":
            line += b"\xff"
        elif mutation == "quote":
            line = b'"' + line
        lines.append(line)
    endings = [draw(st.sampled_from([b"\n", b"\n", b"\r\n"])) for _ in lines]
    return b"".join(line + end for line, end in zip(lines, endings, strict=True))


@st.composite
def parquet_frame(draw, contract: SourceContract) -> pd.DataFrame:
    rows = draw(_rows(contract))
    frame = pd.DataFrame(rows, columns=contract.column_names, dtype=object)
    return frame.where(frame != "", None)


@st.composite
def workbook_cells(draw) -> tuple[list[str], list[list]]:
    months = draw(
        st.lists(
            st.sampled_from(["2024-06", "2024-07", "2024-05", "2024-08"]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    cell = st.one_of(st.integers(-5, 500), st.none(), GARBAGE, st.floats(-1, 10, allow_nan=False))
    rows = draw(
        st.lists(st.lists(cell, min_size=len(months) + 1, max_size=len(months) + 1), max_size=12)
    )
    for row in rows:
        row[0] = draw(st.one_of(st.sampled_from(KNOWN), st.none(), GARBAGE))
    return ["product_line", *months], rows


def _seed_references(conn: duckdb.DuckDBPyConnection, contract: SourceContract) -> None:
    """Give every referenced source one row holding the known keys, so the load may start."""
    ensure_audit_tables(conn)
    for ref in contract.references:
        for source in ref.sources:
            target = CONTRACTS[source]
            ensure_raw_table(conn, target)
            for key in KNOWN:
                conn.execute(
                    f"insert into raw.{qi(source)} ({qi(ref.target_column)}) values (?)", [key]
                )


def _write(contract: SourceContract, landing: Path, data) -> Path:
    glob = contract.file_glob.replace(
        "*", "_2024-03-01" if contract.format != "xlsx" else "EAST_2024-05"
    )
    path = landing / glob
    path.parent.mkdir(parents=True, exist_ok=True)
    if contract.format == "csv":
        path.write_bytes(data)
    elif contract.format == "parquet":
        data.to_parquet(path)
    else:
        header, rows = data
        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet("forecast")
        for r, row in enumerate([header, *rows]):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
        book.close()
    return path


def _data_lines(content: bytes) -> int:
    body = content.split(b"\n")[1:]
    return sum(1 for line in body if line.removesuffix(b"\r"))


def _check_load(contract: SourceContract, data) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        landing = Path(tmp)
        path = _write(contract, landing, data)
        conn = duckdb.connect()
        _seed_references(conn, contract)
        try:
            load_source(conn, contract, landing)
        except ContractViolation as violation:  # a structural failure: rows still accounted
            assert all(r for r in violation.files.values())
        ledger = conn.execute(
            "select file_name, status, rows_read, rows_loaded, rows_quarantined "
            "from audit.load_ledger"
        ).fetchall()
        assert len(ledger) == 1
        name, status, read, loaded, quarantined = ledger[0]
        assert read == loaded + quarantined
        raw_numbers = [
            r[0]
            for r in conn.execute(
                f"select _row_number from raw.{qi(contract.name)} where _source_file = ?", [name]
            ).fetchall()
        ]
        bad = conn.execute(
            "select row_number, reason from audit.quarantine where file_name = ?", [name]
        ).fetchall()
        assert len(raw_numbers) == loaded and len(bad) == quarantined
        assert all(reason for _, reason in bad)
        numbers = raw_numbers + [n for n, _ in bad]
        assert len(set(numbers)) == len(numbers)
        if contract.format == "csv" and status != "empty":
            assert read == _data_lines(path.read_bytes())
        conn.close()


SOURCES = [c for c in CONTRACTS.values() if c.format != "xlsx"]


@pytest.mark.parametrize("contract", SOURCES, ids=[c.name for c in SOURCES])
def test_malformed_files_lose_no_row(contract):
    strategy = csv_bytes(contract) if contract.format == "csv" else parquet_frame(contract)

    @BUDGET
    @given(strategy)
    def check(data):
        _check_load(contract, data)

    check()


@BUDGET
@given(workbook_cells())
def test_malformed_workbooks_lose_no_cell(cells):
    _check_load(CONTRACTS["sales_team_forecast"], cells)
