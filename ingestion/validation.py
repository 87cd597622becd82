"""Typing and row validation of a staged batch, set-based in one SQL pass.

From ``_ingest_stage`` (text columns) it builds ``_ingest_checked``: the
contract columns cast with ``TRY_CAST`` plus ``_reason`` and ``_rule``, both
NULL for a good row. A row fails when a required value is empty, a value does
not cast (or an INTEGER is not whole, a DOUBLE not finite), a contract
:class:`~ingestion.contracts.Rule` is false, a
:class:`~ingestion.contracts.Reference` does not resolve in the referenced
raw table, or its primary key repeats an earlier good row of the batch or a
row already loaded from another file. Every failure of a row is listed.
"""

from __future__ import annotations

import re

import duckdb

from ingestion.contracts import Column, SourceContract
from ingestion.sql import qi, ql
from ingestion.staging import STAGE

CHECKED = "_ingest_checked"
_INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"}
_FLOAT_TYPES = {"DOUBLE", "FLOAT", "REAL"}


def _raw(name: str) -> str:
    return qi("_raw_" + name)


def _quoted_value(expr: str) -> str:
    """SQL text expression rendering a value as ``'value'`` for messages."""
    return f"'''' || {expr} || ''''"


def _type_check(column: Column) -> tuple[str, str]:
    """(failure condition, reason) for a value present but not of the contract type."""
    typed, raw = qi(column.name), _raw(column.name)
    bad = f"{typed} is null"
    base_type = column.type.upper().split("(")[0].strip()
    if base_type in _INTEGER_TYPES:
        bad += f" or coalesce(try_cast({raw} as double) <> {typed}, true)"
    elif base_type in _FLOAT_TYPES:
        bad += f" or not isfinite({typed})"
    message = ql(f" is not a valid {column.type}")
    return (
        f"{raw} is not null and ({bad})",
        f"{ql(column.name + ': ')} || {_quoted_value(raw)} || {message}",
    )


def _rule_columns(contract: SourceContract, predicate: str) -> list[str]:
    return [
        c.name for c in contract.columns if re.search(rf"\b{re.escape(c.name)}\b", predicate)
    ]


def _checks(contract: SourceContract) -> list[tuple[str, str, str]]:
    """(rule name, failure condition, reason) of every non-key check, in report order.

    Conditions are plain booleans (never NULL); reasons are only evaluated for
    failing rows.
    """
    checks: list[tuple[str, str, str]] = []
    for column in contract.columns:
        if column.required:
            checks.append((
                "required", f"{_raw(column.name)} is null",
                ql(column.name + ": required value is empty"),
            ))
        checks.append(("type", *_type_check(column)))
    for rule in contract.rules:
        shown = " || ', ' || ".join(
            f"{ql(name + '=')} || coalesce({_quoted_value(_raw(name))}, 'empty')"
            for name in _rule_columns(contract, rule.predicate)
        ) or "''"
        checks.append((
            rule.name, f"not coalesce(({rule.predicate}), true)",
            f"{ql(rule.message + ' (got ')} || {shown} || ')'",
        ))
    for index, ref in enumerate(contract.references):
        checks.append((
            "reference", f"{qi(ref.column)} is not null and ref_{index}._ref_key is null",
            f"{ql('unknown ' + ref.column + ' ')} || {_quoted_value(_raw(ref.column))} || "
            f"{ql(f' (not in {ref.source})')}",
        ))
    return checks


def _key_text(contract: SourceContract, prefix: str = "") -> str:
    parts = []
    for name in contract.primary_key:
        column = next(c for c in contract.columns if c.name == name)
        value = f"cast({prefix}{qi(name)} as varchar)"
        parts.append(_quoted_value(value) if column.type.upper() == "VARCHAR" else value)
    label = f"duplicate key ({', '.join(contract.primary_key)})=("
    return f"{ql(label)} || " + " || ', ' || ".join(parts) + " || ')'"


def build_checked(
    conn: duckdb.DuckDBPyConnection, contract: SourceContract, check_loaded: bool
) -> None:
    """Create ``_ingest_checked`` from ``_ingest_stage``.

    Besides the typed columns, ``_reason`` and ``_rule`` it holds
    ``_raw_record`` (JSON of the original text values) for failing rows only.

    Parameters
    ----------
    check_loaded
        Also reject keys already present in ``raw.<source>`` (rows from other
        files; the batch's own earlier versions must be deleted first).
    """
    typed = ", ".join(
        f"try_cast({qi(c.name)} as {c.type}) as {qi(c.name)}, {qi(c.name)} as {_raw(c.name)}"
        for c in contract.columns
    )
    checks = _checks(contract)
    joins = "\n".join(
        f"left join (select distinct {qi(ref.target_column)} as _ref_key from raw.{qi(ref.source)})"
        f" as ref_{i} on ref_{i}._ref_key = t.{qi(ref.column)}"
        for i, ref in enumerate(contract.references)
    )
    conditions = ", ".join(f"coalesce({cond}, false) as _c{i}" for i, (_, cond, _) in enumerate(checks))
    any_bad = " or ".join(f"_c{i}" for i in range(len(checks)))
    reason0 = "concat_ws('; ', " + ", ".join(
        f"case when _c{i} then {reason} end" for i, (_, _, reason) in enumerate(checks)) + ")"
    rule0 = "concat_ws(', ', " + ", ".join(
        f"case when _c{i} then {ql(name)} end" for i, (name, _, _) in enumerate(checks)) + ")"
    keys = [qi(k) for k in contract.primary_key]
    key_list = ", ".join(keys)
    keys_present = " and ".join(f"{k} is not null" for k in keys)
    contract_cols = ", ".join(qi(c) for c in contract.column_names)
    extra_raw = ["_cell"] if contract.format == "xlsx" else []
    record = "json_object(" + ", ".join(
        [f"{ql(c)}, {_raw(c)}" for c in contract.column_names] + [f"'_cell', {qi(c)}" for c in extra_raw]
    ) + ")::varchar"
    stage_extra = "".join(f", {qi(c)}" for c in extra_raw)
    prev_cte, prev_join, prev_reason = "", "", "null"
    if check_loaded:
        prev_cte = f""",
        prev as (
            select {", ".join(f"r.{k}" for k in keys)}, min(r._source_file) as _prev_file
            from raw.{qi(contract.name)} as r
            join (select distinct {key_list} from base where not _bad0) as b
                using ({key_list})
            group by all
        )"""
        prev_join = f"left join prev using ({key_list})"
        prev_reason = (
            f"case when not _bad0 and prev._prev_file is not null then "
            f"{_key_text(contract, 'd.')} || ', already loaded from ' || prev._prev_file end"
        )
    conn.execute(
        f"""
        create or replace temp table {CHECKED} as
        with typed as (
            select _file, _file_idx, _row_number, {typed}{stage_extra} from {STAGE}
        ),
        conditions as (
            select t.*, {conditions}
            from typed as t
            {joins}
        ),
        base as (
            select *, {any_bad} as _bad0 from conditions
        ){prev_cte},
        dup_keys as (
            select {key_list} from base where not _bad0 and {keys_present}
            group by all having count(*) > 1
        ),
        dup_rows as (
            select b._file, b._row_number,
                row_number() over w as _dup_rank,
                first_value(b._file) over w as _first_file,
                first_value(b._row_number) over w as _first_row
            from base as b semi join dup_keys using ({key_list})
            where not b._bad0
            window w as (partition by {", ".join(f"b.{k}" for k in keys)}
                         order by b._file_idx, b._row_number)
        ),
        flagged as (
            select d.*,
                case when r._dup_rank > 1 then {_key_text(contract, 'd.')}
                    || ', first seen in row ' || r._first_row || ' of ' || r._first_file end
                    as _dup_reason,
                {prev_reason} as _prev_reason
            from base as d
            left join dup_rows as r using (_file, _row_number)
            {prev_join}
        )
        select _file, _file_idx, _row_number, {contract_cols},
            case when _bad0 or _dup_reason is not null or _prev_reason is not null then
                concat_ws('; ', case when _bad0 then {reason0} end, _dup_reason, _prev_reason)
            end as _reason,
            case when _bad0 or _dup_reason is not null or _prev_reason is not null then
                concat_ws(', ', case when _bad0 then {rule0} end,
                    case when _dup_reason is not null or _prev_reason is not null
                        then 'duplicate_key' end)
            end as _rule,
            case when _bad0 or _dup_reason is not null or _prev_reason is not null then
                {record}
            end as _raw_record
        from flagged
        """
    )
