"""Reading the inputs of a stage and writing its outputs: SQL files with bound parameters.

Queries live in ``orchestration/sql/*.sql``; values are always bound, never
pasted into SQL text. Partitioned outputs are replaced, never appended, so a
re-run of a cycle replaces that cycle and duplicates nothing.
"""

from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

SQL_DIR = Path(__file__).resolve().parent / "sql"


@cache
def sql_text(name: str) -> str:
    """The text of ``orchestration/sql/<name>.sql``."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def query(
    conn: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None
) -> pd.DataFrame:
    """Run a named SQL file with bound parameters and return a DataFrame."""
    return conn.execute(sql_text(name), params or {}).df()


def one_row(
    conn: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | list[Any] | None = None
) -> tuple[Any, ...]:
    """The first row of ``sql`` (bound ``params``); a query that returns none is an error here.

    For queries that always return a row (``select count(*) ...``): an empty result means
    the SQL is wrong, said with the query's text rather than ``'NoneType' is not subscriptable``.
    """
    row = conn.execute(sql, params or []).fetchone()
    if row is None:
        raise LookupError(f"query returned no row: {' '.join(sql.split())[:200]}")
    return row


def replace_partition(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    frame: pd.DataFrame,
    key_column: str,
    key_value: Any,
) -> int:
    """Replace the rows of ``table`` where ``key_column = key_value`` with ``frame``, atomically.

    ``table`` is a schema-qualified identifier from code (never user input); the
    table is created from the frame's schema on first write, and a column the frame
    brings that an older table lacks is added (NULL in the older partitions), so a
    warehouse written by an earlier version keeps working.
    """
    schema, name = table.split(".")
    conn.execute(f'create schema if not exists "{schema}"')
    conn.register("_partition_rows", frame)
    try:
        conn.execute("begin transaction")
        conn.execute(
            f'create table if not exists "{schema}"."{name}" as select * from _partition_rows limit 0'
        )
        have = {r[0] for r in conn.execute(f'describe "{schema}"."{name}"').fetchall()}
        for column, column_type, *_ in conn.execute("describe _partition_rows").fetchall():
            if column not in have:
                conn.execute(f'alter table "{schema}"."{name}" add column "{column}" {column_type}')
        conn.execute(f'delete from "{schema}"."{name}" where "{key_column}" = ?', [key_value])
        conn.execute(f'insert into "{schema}"."{name}" by name select * from _partition_rows')
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    finally:
        conn.unregister("_partition_rows")
    return len(frame)
