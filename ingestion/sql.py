"""The one set of SQL quoting helpers (identifiers, tables, literals) for generated SQL."""

from __future__ import annotations


def qi(identifier: str) -> str:
    """Quote an SQL identifier."""
    return '"' + identifier.replace('"', '""') + '"'


def ql(text: str) -> str:
    """Quote an SQL string literal (DuckDB has no backslash escapes in literals)."""
    return "'" + text.replace("'", "''") + "'"


def qt(table: str) -> str:
    """Quote a ``schema.name`` table reference, each part as an identifier."""
    return ".".join(qi(part) for part in table.split("."))
