"""Quoting helpers for SQL generated from contract metadata (identifiers and messages)."""

from __future__ import annotations


def qi(identifier: str) -> str:
    """Quote an SQL identifier."""
    return '"' + identifier.replace('"', '""') + '"'


def ql(text: str) -> str:
    """Quote an SQL string literal (DuckDB has no backslash escapes in literals)."""
    return "'" + text.replace("'", "''") + "'"
