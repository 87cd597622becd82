"""DDL of the raw tables (one per contract) and the audit tables.

Raw tables hold the contract columns typed as declared, plus lineage columns:
``_source_file`` (path relative to the landing folder), ``_row_number``
(1-based data row in that file), ``_file_hash`` (sha256) and ``_loaded_at``
(UTC).
"""

from __future__ import annotations

from collections.abc import Collection

import duckdb

from ingestion.contracts import SourceContract
from ingestion.sql import qi

LINEAGE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("_source_file", "VARCHAR"),
    ("_row_number", "BIGINT"),
    ("_file_hash", "VARCHAR"),
    ("_loaded_at", "TIMESTAMP"),
)

LEDGER_DDL = """
create table if not exists audit.load_ledger (
    source varchar not null,
    file_name varchar not null,
    file_hash varchar not null,
    rows_read bigint not null,
    rows_loaded bigint not null,
    rows_quarantined bigint not null,
    status varchar not null,
    message varchar,
    loaded_at timestamp not null,
    file_size bigint,
    file_mtime_ns bigint
)
"""

LEDGER_FINGERPRINT_COLUMNS = ("file_size", "file_mtime_ns")
"""Size and modification time of the file version a ledger row describes (NULL in
ledgers written before they were recorded): a file whose name, size and mtime match
is not read again."""

QUARANTINE_DDL = """
create table if not exists audit.quarantine (
    source varchar not null,
    file_name varchar not null,
    file_hash varchar not null,
    row_number bigint,
    raw_record varchar,
    rule varchar not null,
    reason varchar not null,
    quarantined_at timestamp not null
)
"""


def raw_table_ddl(contract: SourceContract) -> str:
    """Return the ``create table if not exists`` statement of ``raw.<source>``."""
    columns = [f"{qi(c.name)} {c.type}" for c in contract.columns]
    columns += [f"{qi(name)} {type_}" for name, type_ in LINEAGE_COLUMNS]
    body = ",\n    ".join(columns)
    return f"create table if not exists raw.{qi(contract.name)} (\n    {body}\n)"


def ensure_audit_tables(conn: duckdb.DuckDBPyConnection) -> None:
    """Create schemas ``raw`` and ``audit`` and the ledger and quarantine tables if missing.

    Two bind-only reads when they exist already (every run after the first): the loader
    calls this per source, and six DDL statements a source are a fixed cost of every run
    (a read of ``duckdb_columns()`` costs more than the DDL).
    """
    try:
        conn.execute(
            f"select {', '.join(LEDGER_FINGERPRINT_COLUMNS)} from audit.load_ledger limit 0"
        )
        conn.execute("select source from audit.quarantine limit 0")
    except (duckdb.CatalogException, duckdb.BinderException):
        pass
    else:
        conn.execute("create schema if not exists raw")
        return
    conn.execute("create schema if not exists raw")
    conn.execute("create schema if not exists audit")
    conn.execute(LEDGER_DDL)
    for column in LEDGER_FINGERPRINT_COLUMNS:
        conn.execute(f"alter table audit.load_ledger add column if not exists {column} bigint")
    conn.execute(QUARANTINE_DDL)


def ensure_raw_table(conn: duckdb.DuckDBPyConnection, contract: SourceContract) -> None:
    """Create ``raw.<source>`` from the contract if it does not exist yet."""
    conn.execute("create schema if not exists raw")
    conn.execute(raw_table_ddl(contract))


def table_exists(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    """Whether ``schema.table`` exists in the current database.

    Reads ``duckdb_tables()``, not ``information_schema.tables`` (a view over every catalog
    object, 5-50 ms a call): the loader asks this per source and reference on every run.
    """
    rows = conn.execute(
        "select count(*) from duckdb_tables() where database_name = current_database() "
        "and schema_name = ? and table_name = ?",
        [schema, table],
    ).fetchall()
    return bool(rows[0][0] > 0)


def raw_tables(conn: duckdb.DuckDBPyConnection, expected: Collection[str] = ()) -> set[str]:
    """Names of the tables in schema ``raw`` (one catalog read for a whole load), or
    ``expected`` when a bind-only probe finds every one of them (the usual run: about 1 ms,
    where the catalog read of a warehouse just opened costs about 10 ms)."""
    if expected:
        try:
            conn.execute(
                "select 1 from " + ", ".join(f"raw.{qi(n)}" for n in expected) + " limit 0"
            )
        except duckdb.CatalogException:
            pass
        else:
            return set(expected)
    rows = conn.execute(
        "select table_name from duckdb_tables() where database_name = current_database() "
        "and schema_name = 'raw'"
    ).fetchall()
    return {name for (name,) in rows}
