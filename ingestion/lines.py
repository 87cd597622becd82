"""One record per physical line: the line pre-pass for CSV files DuckDB's reader would misread.

DuckDB's CSV reader fails a whole file on one CRLF line in an LF file or a
bare CR inside a field ("CSV Parser state machine reached an invalid state"),
lets an unterminated quote swallow the lines after it into one record, and
skips blank lines without counting them (so row numbers drift). The
platform's contract is simpler: **every record of a landing CSV is one
physical line** (LF or CRLF terminated; a quoted value may hold commas and
doubled quotes, not line breaks). So:

* :func:`needs_line_pass` scans a file's bytes once (no quote character, no
  CR other than a consistent CRLF, no blank line): such a file is read by
  DuckDB straight away, one record per line guaranteed.
* otherwise :func:`number_lines` writes a copy with every data line prefixed
  by its row number (1-based data line, the header being line 0), normalised
  to LF. Lines that cannot be one record are not copied but returned as
  :class:`LineIssue` (quarantined as ``malformed_row``): a bare CR inside the
  line, quoting that is not whole-field (an unterminated quote, a quote inside
  an unquoted value, text after a closing quote: DuckDB's reader would go on
  in quoted state and swallow the next lines), or bytes that are not UTF-8. Blank lines are not records and are skipped, but keep
  their number, so row numbers stay the file's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_CHUNK = 1 << 23
_BOM = b"\xef\xbb\xbf"
LINE_COLUMN = "_ingest_line"


@dataclass(frozen=True)
class LineIssue:
    """A physical line that cannot be one record: row number, its text, why."""

    row_number: int
    text: str
    reason: str


def needs_line_pass(path: Path) -> bool:
    """Whether ``path`` may hold a line DuckDB's reader would misread (see the module doc).

    A file without quote characters, blank lines and stray CRs (all lines LF,
    or all CRLF) is safe; reads the file in chunks, about the cost of a hash.
    """
    return records_one_per_line(path) is None


def records_one_per_line(path: Path) -> int | None:
    """The number of data records (lines after the header) of a file DuckDB reads one
    record per line; None when it may hold a line DuckDB would misread (a quote
    character, a blank line, a CR that is not part of a consistent CRLF). One scan.
    """
    newlines = crs = crlfs = 0
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            seam = tail + chunk[:2]
            if b'"' in chunk or b"\n\n" in chunk or b"\n\n" in seam:
                return None
            chunk_crs = chunk.count(b"\r")
            if chunk_crs or tail.endswith(b"\r"):  # only CRLF files pay the CR bookkeeping
                if b"\n\r\n" in chunk or b"\n\r\n" in seam:
                    return None
                crs += chunk_crs
                crlfs += chunk.count(b"\r\n") + (tail.endswith(b"\r") and chunk.startswith(b"\n"))
            newlines += chunk.count(b"\n")
            tail = chunk[-2:]
    if crs and not crs == crlfs == newlines:
        return None
    lines = newlines + (1 if tail and not tail.endswith(b"\n") else 0)
    return max(lines - 1, 0)


_QUOTED_LINE = re.compile(rb'(?:"(?:[^"]|"")*"|[^",]*)(?:,(?:"(?:[^"]|"")*"|[^",]*))*')


def _issue(line: bytes) -> str | None:
    if b"\r" in line:
        return "malformed row (bare carriage return inside the line)"
    if b'"' in line and not _QUOTED_LINE.fullmatch(line):
        if line.count(b'"') % 2:
            return "malformed row (unterminated quote: odd number of quote characters)"
        return (
            "malformed row (bad quoting: a quote inside an unquoted value or text after "
            "a closing quote)"
        )
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"malformed row (not UTF-8 text: {exc.reason} at byte {exc.start})"
    return None


def number_lines(source: Path, target: Path) -> list[LineIssue]:
    """Copy ``source`` to ``target`` one record per line, prefixed by its row number.

    The header gets the column :data:`LINE_COLUMN` in front; each data line
    ``<row number>,`` in front. Returns the lines left out as issues.
    """
    issues: list[LineIssue] = []
    with source.open("rb") as src, target.open("wb") as out:
        header = src.readline().removeprefix(_BOM).rstrip(b"\n").removesuffix(b"\r")
        out.write(LINE_COLUMN.encode() + b"," + header + b"\n")
        for row_number, raw in enumerate(src, start=1):
            line = raw.removesuffix(b"\n").removesuffix(b"\r")
            if not line:
                continue
            reason = _issue(line)
            if reason is None:
                out.write(b"%d,%b\n" % (row_number, line))
            else:
                issues.append(LineIssue(row_number, line.decode("utf-8", "replace"), reason))
    return issues
