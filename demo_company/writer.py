"""Rendering of landing files: file names from the contracts, fixed text formats, bytes.

Everything here is deterministic: fixed column order (the contract's),
fixed number and date formats, ``\\n`` line endings, no timestamps in file
content or workbook metadata.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter

from ingestion.contracts import CONTRACTS, SourceContract

FIXED_CREATED = datetime(2020, 1, 1)
ARROW_TYPES = {
    "DATE": pa.date32(),
    "VARCHAR": pa.string(),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
}


@dataclass
class Output:
    """One landing file to write: its path under landing, its source and its typed rows.

    ``formats`` maps a column to how it is rendered: ``cents`` (integer cents
    as 0.00), ``bp`` (basis points as 0.0000), ``date``, ``f1``/``f2``/``f4``
    (fixed decimals); other columns are written as text.
    """

    relpath: str
    source: str
    frame: pd.DataFrame
    formats: dict[str, str] = field(default_factory=dict)

    @property
    def contract(self) -> SourceContract:
        return CONTRACTS[self.source]

    @property
    def n_rows(self) -> int:
        """Data rows of the file (before faults)."""
        return len(self.frame)

    def release(self) -> None:
        """Nothing to forget: the rows were given."""

    @property
    def columns(self) -> list:
        """The contract columns this file carries: all but optional ones the frame lacks."""
        return [c for c in self.contract.columns if c.required or c.name in self.frame.columns]


class LazyOutput(Output):
    """An :class:`Output` whose rows are built when it is rendered and let go of afterwards.

    A history of daily orders at 20k series holds tens of millions of rows; building each
    month's file from its own rows keeps one file's text in memory, not every file's.
    """

    def __init__(
        self,
        relpath: str,
        source: str,
        build: Callable[[np.ndarray], pd.DataFrame],
        rows: np.ndarray,
        formats: dict[str, str] | None = None,
    ):
        self.relpath, self.source, self.formats = relpath, source, formats or {}
        self._build, self._rows = build, rows
        self._frame: pd.DataFrame | None = None

    @property
    def frame(self) -> pd.DataFrame:
        if self._frame is None:
            self._frame = self._build(self._rows)
        return self._frame

    @frame.setter
    def frame(self, frame: pd.DataFrame) -> None:
        """Rows given instead of built (as :class:`Output` allows), until :meth:`release`."""
        self._frame = frame

    @property
    def n_rows(self) -> int:
        return len(self._rows)

    def release(self) -> None:
        """Forget the built rows (they are built again if asked for)."""
        self._frame = None


def contract_path(source: str, label: str = "") -> str:
    """File path under landing for a contract, replacing the glob's ``*`` with ``label``."""
    glob = CONTRACTS[source].file_glob
    if glob.count("*") != 1:
        raise ValueError(f"contract {source} glob {glob!r} must have exactly one '*'")
    return glob.replace("*", label)


def _format_unique(values: np.ndarray, fmt) -> np.ndarray:
    """Format each distinct value once and spread the strings back (fast for repeated values)."""
    uniq, inverse = np.unique(values, return_inverse=True)
    return np.array([fmt(v) for v in uniq.tolist()], dtype=object)[inverse.reshape(-1)]


def _cents_text(c: int) -> str:
    return f"{'-' if c < 0 else ''}{abs(c) // 100}.{abs(c) % 100:02d}"


def fmt_cents(cents: pd.Series) -> np.ndarray:
    """Integer cents as a decimal string with two places, exact (no float rounding)."""
    return _format_unique(cents.to_numpy(dtype=np.int64), _cents_text)


def fmt_bp(bp: pd.Series) -> np.ndarray:
    """Basis points (1/10000) as a fraction with four decimal places."""
    return _format_unique(bp.to_numpy(dtype=np.int64), lambda b: f"{b // 10000}.{b % 10000:04d}")


def iso_days(values: pd.Series | np.ndarray) -> np.ndarray:
    """ISO day strings of datetime-like values (missing become ``NaT``)."""
    days = np.asarray(values, dtype="datetime64[ns]").astype("datetime64[D]")
    uniq, inverse = np.unique(days, return_inverse=True)
    return np.datetime_as_string(uniq)[inverse.reshape(-1)]


def fmt_date(values: pd.Series) -> np.ndarray:
    """Dates as ISO ``YYYY-MM-DD``; missing dates as an empty string."""
    text = iso_days(values).astype(object)
    text[text == "NaT"] = ""
    return text


def render_text(out: Output) -> pd.DataFrame:
    """The output's rows as strings, in the contract's column order."""
    cols = {}
    for name in (c.name for c in out.columns):
        col = out.frame[name]
        kind = out.formats.get(name)
        if kind == "cents":
            cols[name] = fmt_cents(col)
        elif kind == "bp":
            cols[name] = fmt_bp(col)
        elif kind == "date":
            cols[name] = fmt_date(col)
        elif kind in ("f1", "f2", "f4"):
            cols[name] = _format_unique(col.to_numpy(dtype=float), f"{{:.{kind[1]}f}}".format)
        elif col.dtype == object:
            cols[name] = col.fillna("").to_numpy()
        else:
            cols[name] = col.to_numpy()
    return pd.DataFrame(cols, index=range(len(out.frame)))


def csv_bytes(text: pd.DataFrame) -> bytes:
    """CSV bytes with a header row, comma separated, ``\\n`` line ends, UTF-8."""
    return text.to_csv(index=False, lineterminator="\n").encode("utf-8")


def parquet_bytes(out: Output) -> bytes:
    """Parquet bytes typed from the contract (DATE, VARCHAR, INTEGER...)."""
    arrays, fields = [], []
    for col in out.columns:
        typ = ARROW_TYPES[col.type]
        values = out.frame[col.name]
        if typ == pa.date32():
            arr = pa.array(pd.to_datetime(values).dt.date, type=typ)
        else:
            arr = pa.array(values.to_numpy(), type=typ)
        arrays.append(arr)
        fields.append(pa.field(col.name, typ, nullable=not col.required))
    table = pa.Table.from_arrays(arrays, schema=pa.schema(fields))
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="snappy")
    return sink.getvalue().to_pybytes()


def forecast_workbook_bytes(wide: pd.DataFrame) -> bytes:
    """The sales team's workbook: sheet 'forecast', product_line then one column per month."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({"created": FIXED_CREATED, "author": "Sales team"})
    ws = wb.add_worksheet("forecast")
    bold = wb.add_format({"bold": True})
    for j, name in enumerate(wide.columns):
        ws.write_string(0, j, str(name), bold)
    for i, row in enumerate(wide.itertuples(index=False), start=1):
        ws.write_string(i, 0, str(row[0]))
        for j, v in enumerate(row[1:], start=1):
            ws.write_number(i, j, int(v))
    ws.set_column(0, 0, 22)
    wb.close()
    return buf.getvalue()


def _period_labels(first_day: pd.Timestamp, as_of: pd.Timestamp) -> tuple[pd.Timestamp, list[str]]:
    current = as_of.to_period("M").to_timestamp()
    months = (
        pd.period_range(first_day, current - pd.Timedelta(days=1), freq="M")
        if first_day < current
        else pd.PeriodIndex([], freq="M")
    )
    cur_days = pd.date_range(max(current, first_day), as_of, freq="D", inclusive="left")
    return current, [str(m) for m in months] + [d.strftime("%Y-%m-%d") for d in cur_days]


def _row_labels(dates: pd.Series | np.ndarray, current: pd.Timestamp) -> np.ndarray:
    text = iso_days(dates)
    return np.where(text < current.strftime("%Y-%m-%d"), text.astype("<U7"), text)


def split_by_period(
    frame: pd.DataFrame, date_col: str, first_day: pd.Timestamp, as_of: pd.Timestamp
) -> list[tuple[str, pd.DataFrame]]:
    """Split rows into one chunk per history month and per day of the current month.

    Every period gets a chunk, empty or not, as a nightly export writes a file
    every night. Labels are ``YYYY-MM`` for months and ``YYYY-MM-DD`` for days.
    """
    current, labels = _period_labels(first_day, as_of)
    label = _row_labels(frame[date_col], current)
    groups = {str(k): g for k, g in frame.groupby(label, sort=True)} if len(frame) else {}
    empty = frame.iloc[0:0]
    return [(lab, groups.get(lab, empty)) for lab in labels]


def rows_by_period(
    day_offsets: np.ndarray, start: pd.Timestamp, first_day: pd.Timestamp, as_of: pd.Timestamp
) -> list[tuple[str, np.ndarray]]:
    """The periods of :func:`split_by_period` for rows dated ``start + day_offsets`` days, each
    with the positions of its rows in order (rows outside every period are left out)."""
    current, labels = _period_labels(first_day, as_of)
    days, inverse = np.unique(np.asarray(day_offsets), return_inverse=True)
    dates = pd.Series(start + pd.to_timedelta(days, unit="D"))
    index = {label: i for i, label in enumerate(labels)}
    code = np.array(
        [index.get(str(lab), -1) for lab in _row_labels(dates, current)], dtype=np.int64
    )
    code = code[inverse.ravel()] if len(days) else np.array([], dtype=np.int64)
    order = np.argsort(code, kind="stable")
    bounds = np.searchsorted(code[order], np.arange(len(labels) + 1), side="left")
    return [(lab, order[bounds[i] : bounds[i + 1]]) for i, lab in enumerate(labels)]
