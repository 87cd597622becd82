"""The sales team's forecast templates: one workbook per region and planning cycle.

A planner fills the ``forecast`` sheet and drops the file, unrenamed, into
``landing/sales_input/``; it then loads like any submission. The sheet is laid
out exactly as the ``sales_team_forecast`` contract reads it (``product_line``
then one ``YYYY-MM`` column per target month), pre-filled with the statistical
forecast so an untouched row means "agree". Headers and product lines are
locked, units accept only whole numbers >= 0, and the product-line column only
the company's product lines, so a submission cannot carry a typo. A second
sheet, ``reference``, shows the statistical forecast and the region's
submission of the previous cycle beside each other; the loader ignores it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import xlsxwriter

from ingestion.xlsx import SHEET_NAME

REFERENCE_SHEET = "reference"


@dataclass(frozen=True)
class TemplateInputs:
    """What the templates of one cycle are made from.

    statistical : region, product_line, target_month, units (the cycle's P50)
    previous : region, product_line, target_month, forecast_units (last cycle's submission)
    product_lines : every product line of the company, for the drop-down
    """

    statistical: pd.DataFrame
    previous: pd.DataFrame
    product_lines: list[str]


def template_name(region: str, cycle_month: date) -> str:
    """The file name the loader expects: ``forecast_<REGION>_<YYYY-MM>.xlsx``."""
    return f"forecast_{region}_{cycle_month:%Y-%m}.xlsx"


def _months(frame: pd.DataFrame) -> list[pd.Timestamp]:
    return sorted(pd.to_datetime(frame["target_month"]).unique())


def _cell(pivot: pd.DataFrame, line: str, month: pd.Timestamp) -> float | None:
    """The pivot's number for ``line`` and ``month``; None when either is absent or it is NaN."""
    if month not in pivot.columns:
        return None
    value = pivot[month].get(line)
    return None if value is None or pd.isna(value) else float(value)


def _write_workbook(
    path: Path,
    region: str,
    cycle_month: date,
    months: list[pd.Timestamp],
    statistical: pd.DataFrame,
    previous: pd.DataFrame,
    product_lines: list[str],
) -> None:
    wb = xlsxwriter.Workbook(str(path))
    header = wb.add_format({"bold": True, "locked": True, "bg_color": "#DDEBF7"})
    locked = wb.add_format({"locked": True})
    editable = wb.add_format({"locked": False, "num_format": "0"})
    headers = [f"{m:%Y-%m}" for m in months]
    units = statistical.pivot_table(
        index="product_line", columns="target_month", values="units", aggfunc="sum"
    )
    before = previous.pivot_table(
        index="product_line", columns="target_month", values="forecast_units", aggfunc="sum"
    )

    ws = wb.add_worksheet(SHEET_NAME)
    ws.write_string(0, 0, "product_line", header)
    for j, text in enumerate(headers, start=1):
        ws.write_string(0, j, text, header)
    for i, line in enumerate(product_lines, start=1):
        ws.write_string(i, 0, line, locked)
        for j, month in enumerate(months, start=1):
            value = _cell(units, line, month)
            ws.write_number(i, j, int(round(value)) if value is not None else 0, editable)
    last_row = len(product_lines)
    ws.data_validation(
        1,
        0,
        max(last_row, 1),
        0,
        {
            "validate": "list",
            "source": product_lines[:255] or [""],
            "error_title": "Unknown product line",
            "error_message": "Choose one of the company's product lines.",
        },
    )
    ws.data_validation(
        1,
        1,
        max(last_row, 1),
        len(months),
        {
            "validate": "integer",
            "criteria": ">=",
            "value": 0,
            "error_title": "Units",
            "error_message": "Whole units, 0 or more.",
        },
    )
    ws.freeze_panes(1, 1)
    ws.set_column(0, 0, 24)
    ws.set_column(1, len(months), 10)
    ws.protect(
        "", {"format_columns": True, "select_locked_cells": True, "select_unlocked_cells": True}
    )

    ref = wb.add_worksheet(REFERENCE_SHEET)
    ref.write_row(
        0,
        0,
        [
            "product_line",
            "target_month",
            "statistical_units",
            f"submitted_{_previous_month(cycle_month):%Y-%m}",
        ],
        header,
    )
    row = 1
    for line in product_lines:
        for month in months:
            stat = _cell(units, line, month)
            sub = _cell(before, line, month)
            ref.write_string(row, 0, line)
            ref.write_string(row, 1, f"{month:%Y-%m}")
            if stat is not None:
                ref.write_number(row, 2, round(stat, 1))
            if sub is not None:
                ref.write_number(row, 3, sub)
            row += 1
    ref.set_column(0, 0, 24)
    ref.set_column(1, 3, 16)
    wb.close()


def _previous_month(month: date) -> date:
    return date(month.year - 1, 12, 1) if month.month == 1 else date(month.year, month.month - 1, 1)


def write_templates(inputs: TemplateInputs, cycle_month: date, out_dir: Path) -> list[Path]:
    """Write one template per region of the statistical forecast; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if inputs.statistical.empty:
        return []
    months = _months(inputs.statistical)
    paths = []
    for region, stat in inputs.statistical.groupby("region", sort=True):
        path = out_dir / template_name(str(region), cycle_month)
        prev = inputs.previous[inputs.previous["region"] == region]
        _write_workbook(path, str(region), cycle_month, months, stat, prev, inputs.product_lines)
        paths.append(path)
    return paths
