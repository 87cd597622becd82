"""Structural failure of a file: (nearly) all its rows rejected for the same check.

A file of the wrong shape - every ``ordered_qty`` ``n/a``, a Parquet export
with dates as text in another format, a sku column shifted by one - would
otherwise be quarantined row by row while the load "succeeds", and planning
would run without that day's data. Such a file is rejected as a whole
instead: its rows stay in quarantine with their reasons (its few good rows
too, with reason ``file rejected``), nothing of it is loaded, the earlier
version of the file (if any) is kept, and the ledger says ``rejected`` naming
the column and the rule.

Threshold (per file, per check ``<column(s)> <rule>``; a malformed line counts
as check ``line malformed_row``):

* a file of at least :data:`MIN_ROWS` (20) rows is rejected when at least
  :data:`MIN_SHARE` (90 %) of its rows fail the same check;
* a smaller file of at least :data:`MIN_SMALL_ROWS` (5) rows when all of them do;
* a file of fewer than 5 rows never is: one or two bad rows in a tiny daily
  file are row faults, not evidence of a broken extract.

A structurally rejected file is validated again on every load until it
passes or is replaced: a reference that failed (receipts of invoices not yet
loaded) may resolve later. Duplicate keys do not count: a file whose rows are all already loaded loses
no data (a re-sent extract).
"""

from __future__ import annotations

import duckdb

from ingestion.staging import MALFORMED, STAGE
from ingestion.validation import CHECKED

PREFIX = "structural failure: "
MIN_SHARE = 0.9
MIN_ROWS = 20
MIN_SMALL_ROWS = 5
FILE_REJECTED = "file_rejected"

_FAILURES = f"""
with failing as (
    select _file, unnest(_checks) as check_label, _reason from {CHECKED} where _checks is not null
    union all
    select _file, 'line malformed_row', reason from {MALFORMED}
),
totals as (
    select _file, count(*) as n_rows from (
        select _file from {CHECKED} union all select _file from {MALFORMED}
    ) group by _file
),
per_check as (
    select _file, check_label, count(*) as n_failing, min(_reason) as example
    from failing group by _file, check_label
),
structural as (
    select p.*, t.n_rows from per_check as p join totals as t using (_file)
    where (t.n_rows >= ? and p.n_failing >= ? * t.n_rows)
        or (t.n_rows >= ? and p.n_failing = t.n_rows)
)
select _file, arg_max(check_label, n_failing) as check_label, max(n_failing), any_value(n_rows),
    arg_max(example, n_failing)
from structural group by _file order by _file
"""


def structural_failures(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """``{file name: message}`` of the staged files that fail structurally (see the module doc)."""
    rows = conn.execute(_FAILURES, [MIN_ROWS, MIN_SHARE, MIN_SMALL_ROWS]).fetchall()
    return {
        name: (
            f"{PREFIX}{failing} of {total} rows fail the same check "
            f"({label}), e.g. {example}; the file is rejected (threshold: >= "
            f"{MIN_SHARE:.0%} of >= {MIN_ROWS} rows, or all of >= {MIN_SMALL_ROWS})"
        )
        for name, label, failing, total, example in rows
    }


def is_structural(message: str | None) -> bool:
    """Whether a ledger message is a structural rejection (retried on the next load)."""
    return message is not None and message.startswith(PREFIX)


def quarantine_rejected_files(
    conn: duckdb.DuckDBPyConnection, failures: dict[str, str], raw_record: str
) -> None:
    """Mark the still-good rows of structurally rejected files as quarantined (``file_rejected``).

    ``raw_record`` is the SQL of a row's original-text JSON over the stage
    alias ``s``. Their key hash is cleared, so no row of another file is
    flagged as a duplicate of a row that is not loaded.
    """
    if not failures:
        return
    conn.execute(
        f"""
        update {CHECKED} as c
        set _reason = 'file rejected: ' || m.message, _rule = '{FILE_REJECTED}',
            _raw_record = d.raw_record, _key_hash = null
        from (select unnest(?) as _file, unnest(?) as message) as m,
            (select s._file, s._row_number, {raw_record} as raw_record
             from {STAGE} as s where s._file in (select unnest(?))) as d
        where c._file = m._file and c._file = d._file and c._row_number = d._row_number
            and c._reason is null
        """,
        [list(failures), list(failures.values()), list(failures)],
    )
