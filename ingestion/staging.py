"""Read a batch of landing files into the temp relations the validation pass works on.

Every reader produces the same shapes, with every contract column as text
(so nothing is lost to type inference):

``_ingest_stage``
    ``_file``, ``_file_idx``, ``_row_number`` (1-based data row in its file)
    and the contract columns, plus ``_cell`` for workbooks.
``_ingest_malformed``
    rows the CSV reader could not split into the header's fields (too many
    or too few fields, bad quoting or encoding): ``_file``, ``_row_number``,
    ``raw_record`` (JSON with the original line) and ``reason``.

CSV files are read by DuckDB's ``read_csv`` in strict mode with the header's
columns given explicitly and ``store_rejects`` on, so a malformed row is
reported rather than skipped or padded. The fast path
(:func:`stage_csv_direct`) is a view with one ``read_csv ... with
ordinality`` per file, validated straight from the files without a copy.
When a row was malformed, :func:`stage_csv` re-reads the batch into a temp
table and recovers the row numbers after the malformed row from the
rejects' line numbers (exact unless a quoted value spans several lines).
A CSV file that may hold a line DuckDB would misread (a quote character, a
stray CR, a blank line: :func:`ingestion.lines.needs_line_pass`) is first
copied one record per line with its row number in front
(:func:`ingestion.lines.number_lines`), and :func:`stage_csv_lines` reads the
copies: every physical line is then loaded or quarantined under its own
number. Workbook records are numbered in reading order (row by row, then column);
``_cell`` keeps the spreadsheet address.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from ingestion.contracts import SourceContract
from ingestion.landing import HeaderCheck, LandingFile
from ingestion.lines import LINE_COLUMN, LineIssue
from ingestion.sql import qi, ql

STAGE = "_ingest_stage"
MALFORMED = "_ingest_malformed"
FILES = "_ingest_files"


def register_files(conn: duckdb.DuckDBPyConnection, files: Sequence[LandingFile]) -> None:
    """Create the ``_ingest_files`` temp table: path as read, name, order and hash."""
    conn.execute(
        f"create or replace temp table {FILES} as select unnest(?::varchar[]) as _path, "
        "unnest(?::varchar[]) as _file, unnest(?::integer[]) as _file_idx, "
        "unnest(?::varchar[]) as _hash",
        [
            [str(f.path) for f in files],
            [f.name for f in files],
            list(range(len(files))),
            [f.file_hash for f in files],
        ],
    )


def _empty_malformed(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(
        f"create or replace temp table {MALFORMED} (_file varchar, _file_idx integer, "
        "_row_number bigint, raw_record varchar, reason varchar)"
    )


MAX_DIRECT_FILES = 64
_STRICT_OPTIONS = (
    "header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
    "strict_mode = true"
)
_CSV_OPTIONS = (
    f"{_STRICT_OPTIONS}, store_rejects = true, "
    "rejects_table = '_ingest_rej_errors', rejects_scan = '_ingest_rej_scans'"
)


def _selected(contract: SourceContract, header: HeaderCheck, prefix: str = "") -> str:
    """The contract columns as read from the file; absent optional ones as NULL text."""
    return ", ".join(
        f"null::varchar as {qi(c)}" if c in header.absent else f"{prefix}{qi(c)}"
        for c in contract.column_names
    )


def _csv_columns(header: HeaderCheck) -> str:
    return "{" + ", ".join(f"{ql(n)}: 'VARCHAR'" for n in header.read_names) + "}"


def _drop_rejects(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("drop table if exists _ingest_rej_errors; drop table if exists _ingest_rej_scans")


def stage_csv_direct(
    conn: duckdb.DuckDBPyConnection,
    contract: SourceContract,
    files: Sequence[LandingFile],
    header: HeaderCheck,
) -> None:
    """Stage CSV files as a view: one ``read_csv`` per file, its ordinality the row number.

    Nothing is copied; the files are read once, when the validation pass runs.
    Row numbers are only right if no row was malformed: check
    :func:`count_direct_rejects` afterwards and fall back to :func:`stage_csv`.
    """
    register_files(conn, files)
    _drop_rejects(conn)
    _empty_malformed(conn)
    conn.execute(
        f"create or replace temp view {STAGE} as " + csv_files_sql(contract, files, header)
    )


def csv_files_sql(
    contract: SourceContract,
    files: Sequence[LandingFile],
    header: HeaderCheck,
    store_rejects: bool = True,
) -> str:
    """SQL reading CSV files sharing ``header`` into the stage's shape: one ``read_csv ...
    with ordinality`` per file, its ordinality the row number. ``store_rejects`` false: a
    malformed row fails the read instead of going to the rejects tables."""
    columns = _csv_columns(header)
    selected = _selected(contract, header)
    options = _CSV_OPTIONS if store_rejects else _STRICT_OPTIONS
    return "\nunion all\n".join(
        f"select {ql(f.name)} as _file, {i} as _file_idx, ordinality as _row_number, {selected} "
        f"from read_csv({ql(str(f.path))}, columns = {columns}, {options}) with ordinality"
        for i, f in enumerate(files)
    )


def count_direct_rejects(conn: duckdb.DuckDBPyConnection) -> int:
    """Rows the scan of the :func:`stage_csv_direct` view rejected as malformed: the scan
    creates the rejects table (also for a file of a header only), so no catalog read."""
    return int(conn.execute("select count(*) from _ingest_rej_errors").fetchall()[0][0])


def stage_csv(
    conn: duckdb.DuckDBPyConnection,
    contract: SourceContract,
    files: Sequence[LandingFile],
    header: HeaderCheck,
) -> None:
    """Stage CSV files sharing one header with a single ``read_csv`` call, copied to a temp table.

    Slower than :func:`stage_csv_direct` but exact for files with malformed
    rows, and cheaper to plan for many small files.
    """
    register_files(conn, files)
    _drop_rejects(conn)
    columns = _csv_columns(header)
    selected = _selected(contract, header, "r.")
    conn.execute(
        f"""
        create or replace temp table _ingest_read as
        select f._file, f._file_idx, r.ordinality as _ord, {selected}
        from (
            select * from read_csv(
                ?, columns = {columns}, filename = '_ingest_path', {_CSV_OPTIONS}
            ) with ordinality
        ) as r
        join {FILES} as f on f._path = r._ingest_path
        """,
        [[str(f.path) for f in files]],
    )
    conn.execute(
        f"""
        create or replace temp table {MALFORMED} as
        select f._file, f._file_idx, e.line - 1 as _row_number,
            json_object('csv_line', any_value(e.csv_line))::varchar as raw_record,
            'malformed row (' || lower(arg_min(e.error_type, e.column_idx)) || '): '
                || arg_min(e.error_message, e.column_idx) as reason
        from _ingest_rej_errors as e
        join _ingest_rej_scans as s on s.scan_id = e.scan_id and s.file_id = e.file_id
        join {FILES} as f on f._path = s.file_path
        group by f._file, f._file_idx, e.line
        """
    )
    has_malformed = conn.execute(f"select count(*) from {MALFORMED}").fetchall()[0][0] > 0
    cols = ", ".join(f"k.{qi(c)}" for c in contract.column_names)
    numbered = """
        with firsts as (select _file, min(_ord) as _first from _ingest_read group by _file),
        k as (
            select r.*, r._ord - firsts._first + 1 as _k
            from _ingest_read as r join firsts using (_file)
        )"""
    if has_malformed:
        conn.execute(
            f"""
            create or replace temp view {STAGE} as
            {numbered},
            gaps as (
                select _file, _row_number - row_number() over w as _gap, row_number() over w as _j
                from {MALFORMED} window w as (partition by _file order by _row_number)
            )
            select k._file, k._file_idx, k._k + coalesce(g._j, 0) as _row_number, {cols}
            from k asof left join gaps as g on k._file = g._file and k._k > g._gap
            """
        )
    else:
        conn.execute(
            f"""
            create or replace temp view {STAGE} as
            {numbered}
            select k._file, k._file_idx, k._k as _row_number, {cols} from k
            """
        )


def stage_csv_lines(
    conn: duckdb.DuckDBPyConnection,
    contract: SourceContract,
    files: Sequence[LandingFile],
    header: HeaderCheck,
    issues: Sequence[Sequence[LineIssue]],
) -> None:
    """Stage line-numbered copies of CSV files (``files[i].path`` is the copy of file i).

    The row number is the copy's first column; the lines the copy left out
    (``issues[i]``) and the lines DuckDB rejects become ``_ingest_malformed``.
    Copied to temp tables, so the copies may be deleted right after.
    """
    register_files(conn, files)
    _drop_rejects(conn)
    columns = "{" + f"{ql(LINE_COLUMN)}: 'BIGINT', " + _csv_columns(header)[1:]
    selected = _selected(contract, header, "r.")
    conn.execute(
        f"""
        create or replace temp table {STAGE} as
        select f._file, f._file_idx, r.{qi(LINE_COLUMN)} as _row_number, {selected}
        from read_csv(?, columns = {columns}, filename = '_ingest_path', {_CSV_OPTIONS}) as r
        join {FILES} as f on f._path = r._ingest_path
        """,
        [[str(f.path) for f in files]],
    )
    conn.execute(
        f"""
        create or replace temp table {MALFORMED} as
        select f._file, f._file_idx, split_part(any_value(e.csv_line), ',', 1)::bigint as _row_number,
            json_object('csv_line', regexp_replace(any_value(e.csv_line), '^[0-9]+,', ''))::varchar
                as raw_record,
            'malformed row (' || lower(arg_min(e.error_type, e.column_idx)) || '): '
                || arg_min(e.error_message, e.column_idx) as reason
        from _ingest_rej_errors as e
        join _ingest_rej_scans as s on s.scan_id = e.scan_id and s.file_id = e.file_id
        join {FILES} as f on f._path = s.file_path
        group by f._file, f._file_idx, e.line
        """
    )
    rows = [
        (f.name, index, issue.row_number, issue.text, issue.reason)
        for index, (f, file_issues) in enumerate(zip(files, issues, strict=True))
        for issue in file_issues
    ]
    if rows:
        frame = pd.DataFrame(rows, columns=["_file", "_file_idx", "_row_number", "text", "reason"])
        conn.register("_ingest_line_issues", frame)
        try:
            conn.execute(
                f"insert into {MALFORMED} select _file, _file_idx, _row_number, "
                "json_object('csv_line', text)::varchar, reason from _ingest_line_issues"
            )
        finally:
            conn.unregister("_ingest_line_issues")


def stage_parquet(
    conn: duckdb.DuckDBPyConnection,
    contract: SourceContract,
    files: Sequence[LandingFile],
    header: HeaderCheck,
) -> None:
    """Stage Parquet files sharing one schema with a single ``read_parquet`` call."""
    register_files(conn, files)
    _empty_malformed(conn)
    actual = dict(zip(header.read_names, header.header, strict=True))
    cols = ", ".join(
        f"null::varchar as {qi(c)}"
        if c in header.absent
        else f"cast(r.{qi(actual[c])} as varchar) as {qi(c)}"
        for c in contract.column_names
    )
    conn.execute(
        f"""
        create or replace temp table {STAGE} as
        select f._file, f._file_idx, r.file_row_number + 1 as _row_number, {cols}
        from read_parquet(?, filename = '_ingest_path', file_row_number = true) as r
        join {FILES} as f on f._path = r._ingest_path
        """,
        [[str(f.path) for f in files]],
    )


def stage_frame(
    conn: duckdb.DuckDBPyConnection,
    files: Sequence[LandingFile],
    frames: Sequence[pd.DataFrame],
) -> None:
    """Stage already-normalised text records (one frame per file, e.g. workbooks)."""
    register_files(conn, files)
    _empty_malformed(conn)
    parts = []
    for index, (file, frame) in enumerate(zip(files, frames, strict=True)):
        # pandas-stubs leave None out of `other`; pandas puts None in the object cells.
        part = frame.astype(object).where(frame.notna(), None)  # type: ignore[call-overload]
        part.insert(0, "_row_number", range(1, len(part) + 1))
        part.insert(0, "_file_idx", index)
        part.insert(0, "_file", file.name)
        parts.append(part)
    combined = pd.concat(parts, ignore_index=True)
    combined["_row_number"] = combined["_row_number"].astype("int64")
    combined["_file_idx"] = combined["_file_idx"].astype("int32")
    conn.register("_ingest_frame", combined)
    try:
        text_cols = [c for c in combined.columns if c not in ("_file_idx", "_row_number")]
        select = ", ".join(
            ["_file_idx", "_row_number"]
            + [f"cast({qi(c)} as varchar) as {qi(c)}" for c in text_cols]
        )
        conn.execute(f"create or replace temp table {STAGE} as select {select} from _ingest_frame")
    finally:
        conn.unregister("_ingest_frame")
