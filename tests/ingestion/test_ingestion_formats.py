"""Contract DDL, Parquet sources and the sales team's Excel workbooks."""

from __future__ import annotations

import datetime as dt

import pytest
import xlsxwriter
from ingestion_files import load_masters, scalar, write_masters

from ingestion.contracts import CONTRACTS
from ingestion.docs import contracts_markdown
from ingestion.errors import ContractViolation
from ingestion.loader import load_source
from ingestion.schema import ensure_audit_tables, ensure_raw_table

FORECAST = CONTRACTS["sales_team_forecast"]
INVENTORY = CONTRACTS["inventory_snapshots"]


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_raw_table_ddl_follows_the_contract(conn, name):
    contract = CONTRACTS[name]
    ensure_audit_tables(conn)
    ensure_raw_table(conn, contract)
    columns = conn.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'raw' and table_name = ? order by ordinal_position",
        [name],
    ).fetchall()
    expected = [(c.name, c.type.replace(" ", "")) for c in contract.columns] + [
        ("_source_file", "VARCHAR"),
        ("_row_number", "BIGINT"),
        ("_file_hash", "VARCHAR"),
        ("_loaded_at", "TIMESTAMP"),
    ]
    assert [(n, t.replace(" ", "")) for n, t in columns] == expected


def _write_workbook(path, header, rows, sheet="forecast"):
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    sheet_ = book.add_worksheet(sheet)
    for col, value in enumerate(header):
        sheet_.write(0, col, value)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value is not None:
                sheet_.write(r, col, value)
    book.close()


def test_workbook_is_normalised_to_long_rows(conn, landing):
    load_masters(conn, landing)
    _write_workbook(
        landing / "sales_input/forecast_EAST_2024-05.xlsx",
        ["product_line", "2024-06", "2024-07", "2024-05"],
        [
            ["Home", 120, 130.0, 90],
            ["Garden", 40, None, -3],
            [None, None, None, None],
            ["Kitchen", "many", 10, 10],
        ],
    )
    result = load_source(conn, FORECAST, landing)

    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (9, 4, 5)
    rows = conn.execute(
        "select region, planning_month, product_line, target_month, forecast_units "
        "from raw.sales_team_forecast order by product_line, target_month"
    ).fetchall()
    assert rows == [
        ("EAST", dt.date(2024, 5, 1), "Garden", dt.date(2024, 6, 1), 40),
        ("EAST", dt.date(2024, 5, 1), "Home", dt.date(2024, 6, 1), 120),
        ("EAST", dt.date(2024, 5, 1), "Home", dt.date(2024, 7, 1), 130),
        ("EAST", dt.date(2024, 5, 1), "Kitchen", dt.date(2024, 7, 1), 10),
    ]
    reasons = dict(
        conn.execute(
            "select json_extract_string(raw_record, '$._cell'), reason from audit.quarantine"
        ).fetchall()
    )
    assert reasons["C3"] == "forecast_units: required value is empty (cell C3)"
    assert reasons["B5"] == "forecast_units: 'many' is not a valid INTEGER (cell B5)"
    assert "target_month must be after planning_month" in reasons["D2"]
    assert "forecast_units must be >= 0" in reasons["D3"]


@pytest.mark.parametrize(
    ("file_name", "header", "sheet", "expected"),
    [
        ("forecast_EAST_2024-05.xlsx", ["line", "2024-06"], "forecast", "product_line"),
        (
            "forecast_EAST_2024-05.xlsx",
            ["product_line", "June"],
            "forecast",
            "column B header 'June'",
        ),
        (
            "forecast_EAST_2024-05.xlsx",
            ["product_line", "2024-06"],
            "Sheet1",
            "missing sheet 'forecast'",
        ),
        ("forecast_EAST.xlsx", ["product_line", "2024-06"], "forecast", "file name"),
    ],
    ids=["renamed_first_column", "bad_month_header", "missing_sheet", "bad_file_name"],
)
def test_broken_workbook_is_rejected(conn, landing, file_name, header, sheet, expected):
    load_masters(conn, landing)
    _write_workbook(landing / "sales_input" / file_name, header, [["Home", 1]], sheet=sheet)
    with pytest.raises(ContractViolation, match=expected) as caught:
        load_source(conn, FORECAST, landing)
    assert file_name in str(caught.value)
    assert scalar(conn, "select count(*) from raw.sales_team_forecast") == 0


def test_corrupt_workbook_is_rejected(conn, landing):
    load_masters(conn, landing)
    path = landing / "sales_input/forecast_WEST_2024-05.xlsx"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"PK\x03\x04 definitely not a zip")
    with pytest.raises(ContractViolation, match="unreadable workbook"):
        load_source(conn, FORECAST, landing)


def _write_parquet(conn, path, select_sql):
    path.parent.mkdir(parents=True, exist_ok=True)
    conn.execute(f"copy ({select_sql}) to '{path}' (format parquet)")


def test_parquet_source_loads_and_validates(conn, landing):
    write_masters(landing)
    load_source(conn, CONTRACTS["products"], landing)
    _write_parquet(
        conn,
        landing / "inventory/snapshots/inventory_2024-03-01.parquet",
        """
        select * from (values
            (date '2024-03-01', 'P1', 'WH1', 10),
            (date '2024-03-01', 'P2', 'WH1', -2),
            (date '2024-03-01', 'P9', 'WH1', 4),
            (date '2024-03-01', 'P1', 'WH1', 11)
        ) as t(snapshot_date, sku, warehouse_id, on_hand_qty)""",
    )
    _write_parquet(
        conn,
        landing / "inventory/snapshots/inventory_2024-03-02.parquet",
        """
        select date '2024-03-02' as snapshot_date, 'P1' as sku, 'WH1' as warehouse, 3 as qty""",
    )
    with pytest.raises(
        ContractViolation,
        match=r"2024-03-02.parquet: missing contract column\(s\): "
        r"warehouse_id, on_hand_qty",
    ):
        load_source(conn, INVENTORY, landing)
    rules = conn.execute("select row_number, rule from audit.quarantine order by 1").fetchall()
    assert rules == [(2, "on_hand_non_negative"), (3, "reference"), (4, "duplicate_key")]
    assert conn.execute(
        "select on_hand_qty, _row_number from raw.inventory_snapshots"
    ).fetchall() == [(10, 1)]


def test_corrupt_parquet_is_rejected(conn, landing):
    write_masters(landing)
    load_source(conn, CONTRACTS["products"], landing)
    path = landing / "inventory/snapshots/inventory_2024-03-01.parquet"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(ContractViolation, match="unreadable Parquet file"):
        load_source(conn, INVENTORY, landing)


def test_contracts_markdown_documents_every_source():
    text = contracts_markdown()
    for contract in CONTRACTS.values():
        assert f"### `{contract.name}`" in text
        assert f"`{contract.file_glob}`" in text
        for column in contract.columns:
            assert f"| `{column.name}` | {column.type} |" in text
    assert "- `customer_id` must exist in `customers.customer_id`" in text
