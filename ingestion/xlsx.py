"""The sales team's forecast workbooks, read with python-calamine and normalised to long rows.

A workbook ``forecast_<REGION>_<YYYY-MM>.xlsx`` has a sheet ``forecast`` whose
first row is ``product_line`` followed by one ``YYYY-MM`` header per target
month; each further row holds a product line's units per target month. The
reader turns every (product line, target month) cell into one record with
the contract's columns, all as text so the loader types and validates them
like any CSV value. Fully blank rows are layout, not data, and are skipped;
a blank cell in a used row becomes a record with an empty ``forecast_units``
(quarantined by the required-value check, never dropped).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import python_calamine

from ingestion.landing import HeaderError

SHEET_NAME = "forecast"
_MONTH_HEADER = re.compile(r"^(\d{4})-(\d{2})$")
_FILE_NAME = re.compile(r"^forecast_(?P<region>.+)_(?P<month>\d{4}-\d{2})\.xlsx$", re.IGNORECASE)
RECORD_COLUMNS = (
    "region",
    "planning_month",
    "product_line",
    "target_month",
    "forecast_units",
    "_cell",
)


def column_letter(index: int) -> str:
    """Spreadsheet column letters of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_text(value: object) -> str | None:
    """A cell value as the text a CSV export would hold; ``None`` for a blank cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def parse_file_name(file_name: str) -> tuple[str, str]:
    """Region and planning month (``YYYY-MM-01``) from ``forecast_<REGION>_<YYYY-MM>.xlsx``."""
    match = _FILE_NAME.match(Path(file_name).name)
    if not match or not 1 <= int(match["month"][5:]) <= 12:
        raise HeaderError(
            "file name does not follow forecast_<REGION>_<YYYY-MM>.xlsx "
            "(columns region, planning_month cannot be derived)"
        )
    return match["region"], match["month"] + "-01"


def _month_of_header(value: object) -> str | None:
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}-01"
    text = cell_text(value)
    match = _MONTH_HEADER.match(text or "")
    if match and 1 <= int(match[2]) <= 12:
        return f"{match[1]}-{match[2]}-01"
    return None


def _read_sheet(path: Path) -> Sequence[Sequence[object]]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several unrelated error types
        raise HeaderError(f"unreadable workbook ({type(exc).__name__}: {exc})") from exc
    try:
        if SHEET_NAME not in workbook.sheet_names:
            raise HeaderError(
                f"missing sheet {SHEET_NAME!r} (found: {', '.join(workbook.sheet_names)})"
            )
        return workbook.get_sheet_by_name(SHEET_NAME).to_python(skip_empty_area=False)
    finally:
        workbook.close()


def read_forecast_workbook(path: Path, file_name: str) -> pd.DataFrame:
    """Normalise one workbook to text records with :data:`RECORD_COLUMNS`.

    ``_cell`` is the spreadsheet address of the units cell (e.g. ``C5``), kept
    for the quarantine's raw record. Raises :class:`HeaderError` when the file
    name, the sheet or the header row breaks the contract.
    """
    region, planning_month = parse_file_name(file_name)
    rows = [r for r in _read_sheet(path)]
    header_index = next((i for i, r in enumerate(rows) if any(cell_text(v) for v in r)), None)
    if header_index is None:
        return pd.DataFrame(columns=list(RECORD_COLUMNS))
    header = rows[header_index]
    if (cell_text(header[0]) or "").lower() != "product_line":
        raise HeaderError(
            f"missing contract column product_line (first header cell is {cell_text(header[0])!r})"
        )
    month_columns: list[tuple[int, str]] = []
    for index, value in enumerate(header[1:], start=1):
        month = _month_of_header(value)
        has_data = any(cell_text(r[index]) for r in rows[header_index + 1 :] if index < len(r))
        if month is not None:
            month_columns.append((index, month))
        elif cell_text(value) is not None or has_data:
            raise HeaderError(
                f"column {column_letter(index)} header {cell_text(value)!r} is not a "
                "target month (YYYY-MM); target_month cannot be derived"
            )
    if not month_columns:
        raise HeaderError(
            "missing contract columns target_month, forecast_units (no YYYY-MM month columns)"
        )
    records = []
    for row_index in range(header_index + 1, len(rows)):
        row = rows[row_index]
        if not any(cell_text(v) for v in row):
            continue
        product_line = cell_text(row[0]) if row else None
        for col_index, month in month_columns:
            value = row[col_index] if col_index < len(row) else None
            records.append(
                (
                    region,
                    planning_month,
                    product_line,
                    month,
                    cell_text(value),
                    f"{column_letter(col_index)}{row_index + 1}",
                )
            )
    return pd.DataFrame.from_records(records, columns=list(RECORD_COLUMNS))
