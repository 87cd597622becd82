"""Typing and row validation of a staged batch, set-based in SQL.

:func:`build_checked` turns ``_ingest_stage`` (text columns) into
``_ingest_checked`` in one pass: the contract columns cast with ``TRY_CAST``
(dates strictly ``YYYY-MM-DD``; text trimmed of surrounding blanks, so a key
is compared and stored once normalised) plus ``_reason`` and ``_rule``, both
NULL for a good row. A row fails when a required value is empty (or blank), a
value does not cast (or an INTEGER is not whole, a DOUBLE not finite), a
contract check (:mod:`ingestion.checks`, compiled by :func:`predicate`) is
false, or a :class:`~ingestion.contracts.Reference` does not resolve in the
referenced raw table(s); every failure of the row is listed, and a workbook row's
reasons end with its cell. :func:`flag_duplicates` then quarantines good rows
whose primary key repeats an earlier good row of the batch or a row already
loaded from another file. A failing row also lists in ``_checks`` the checks
it fails as ``<column(s)> <rule>`` labels, so a file whose rows (nearly) all
fail the same check can be told from one with a few bad rows
(:mod:`ingestion.structural`).
"""

from __future__ import annotations

import duckdb

from ingestion.checks import Check, Compare, NotNull, OneOf, Pattern, Range
from ingestion.contracts import Column, ContractSettings, Reference, SourceContract
from ingestion.schema import table_exists
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


def _is_text(column: Column) -> bool:
    return column.type.upper() == "VARCHAR"


PERSONAL_DATA_KEY_VARIABLE = "sop_personal_data_key"
"""DuckDB session variable holding the hash key while a batch is checked (bound, never pasted)."""
NOT_KEPT = "(personal data, not kept)"


def mask_personal(contract: SourceContract, record: str) -> str:
    """SQL of a quarantine record (JSON text) with the contract's personal values blanked out.

    A record of named values keeps its other values; a whole malformed line
    (``csv_line``) of such a source is not kept at all.
    """
    personal = [c.name for c in contract.columns if c.personal]
    if not personal:
        return record
    blanked = ", ".join(f"{ql(name)}, {ql(NOT_KEPT)}" for name in personal)
    return (
        f"case when json_exists({record}, '$.csv_line') "
        f"then json_object('csv_line', {ql(NOT_KEPT)})::varchar "
        f"else json_merge_patch({record}, json_object({blanked}))::varchar end"
    )


def typed_value(column: Column) -> str:
    """SQL casting a text column to its contract type, NULL when it does not cast.

    Dates must be ISO ``YYYY-MM-DD``: DuckDB's own cast would also read
    ``31/12/24`` (as year 31) or drop a time of day. Text is trimmed (a blank
    value is empty), so ``'SO1 '`` and ``'SO1'`` are one key.
    """
    if column.personal == "drop":
        return "cast(null as varchar)"
    if column.personal == "hash":
        return f"sha256(getvariable('{PERSONAL_DATA_KEY_VARIABLE}') || nullif(trim({qi(column.name)}), ''))"
    if column.type.upper() == "DATE":
        return f"try_strptime({qi(column.name)}, '%Y-%m-%d')::date"
    if _is_text(column):
        return f"nullif(trim({qi(column.name)}), '')"
    return f"try_cast({qi(column.name)} as {column.type})"


def _type_check(column: Column) -> tuple[str, str]:
    """(failure condition, reason) for a value present but not of the contract type."""
    typed, raw = qi(column.name), _raw(column.name)
    bad = f"{typed} is null"
    base_type = column.type.upper().split("(")[0].strip()
    if base_type in _INTEGER_TYPES:
        bad += f" or coalesce(try_cast({raw} as double) <> {typed}, true)"
    elif base_type in _FLOAT_TYPES:
        bad += f" or not isfinite({typed})"
    shown_type = "DATE (YYYY-MM-DD)" if column.type.upper() == "DATE" else column.type
    message = ql(f" is not a valid {shown_type}")
    return (
        f"{raw} is not null and ({bad})",
        f"{ql(column.name + ': ')} || {_quoted_value(raw)} || {message}",
    )


def check_label(columns: str, rule: str) -> str:
    """How a check is named in ``_checks`` and in a structural rejection: ``ordered_qty type``."""
    return f"{columns} {rule}"


def _literal(value: str, ignore_case: bool) -> str:
    return ql(value.lower() if ignore_case else value)


def predicate(check: Check, settings: ContractSettings) -> str:
    """SQL of what ``check`` wants of a row, over the typed columns (NULL: not applicable)."""
    if isinstance(check, Range):
        bounds = []
        if check.minimum is not None:
            op = ">" if check.exclusive_minimum else ">="
            bounds.append(f"{qi(check.column)} {op} {check.minimum!r}")
        if check.maximum is not None:
            op = "<" if check.exclusive_maximum else "<="
            bounds.append(f"{qi(check.column)} {op} {check.maximum!r}")
        return " and ".join(bounds)
    if isinstance(check, Compare):
        return f"{qi(check.column)} {check.op} {qi(check.other)}"
    if isinstance(check, OneOf):
        values = settings.allowed_values(check)
        listed = ", ".join(_literal(v, check.ignore_case) for v in values) or "null"
        column = f"lower({qi(check.column)})" if check.ignore_case else qi(check.column)
        return f"{column} in ({listed})"
    if isinstance(check, Pattern):
        return f"regexp_full_match(cast({qi(check.column)} as varchar), {ql(check.regex)})"
    if isinstance(check, NotNull):
        return " or ".join(f"{qi(c)} is not null" for c in check.columns)
    raise TypeError(f"unsupported check {check!r}")


def _reason(check: Check, settings: ContractSettings) -> str:
    """SQL text of a failing row's reason: the check's words and the values it read."""
    if isinstance(check, OneOf):
        message = " " + check.message(settings.allowed_values(check))
        return f"{ql(check.column + ': ')} || {_quoted_value(_raw(check.column))} || {ql(message)}"
    shown = " || ', ' || ".join(
        f"{ql(name + '=')} || coalesce({_quoted_value(_raw(name))}, 'empty')"
        for name in check.columns
    )
    return f"{ql(check.message + ' (got ')} || {shown} || ')'"


def _labels(contract: SourceContract) -> list[str]:
    """The label of every check of :func:`_checks`, in the same order."""
    labels: list[str] = []
    for column in contract.columns:
        if column.required:
            labels.append(check_label(column.name, "required"))
        if not _is_text(column):
            labels.append(check_label(column.name, "type"))
    labels += [check_label(", ".join(c.columns), c.name) for c in contract.checks]
    labels += [check_label(r.column, "reference") for r in contract.references]
    return labels


def _checks(contract: SourceContract, settings: ContractSettings) -> list[tuple[str, str, str]]:
    """(rule name, failure condition, reason) of every non-key check, in report order.

    Conditions are plain booleans (never NULL); reasons are only evaluated for
    failing rows. :func:`_labels` names them in the same order.
    """
    checks: list[tuple[str, str, str]] = []
    for column in contract.columns:
        if column.required:
            empty = qi(column.name) if _is_text(column) else _raw(column.name)
            checks.append(
                (
                    "required",
                    f"{empty} is null",
                    ql(column.name + ": required value is empty"),
                )
            )
        if not _is_text(column):
            checks.append(("type", *_type_check(column)))
    for check in contract.checks:
        condition = f"not coalesce(({predicate(check, settings)}), true)"
        checks.append((check.name, condition, _reason(check, settings)))
    for index, ref in enumerate(contract.references):
        known = " or ".join([*ref.sources, *(f"'{v}'" for v in ref.extra_values)])
        checks.append(
            (
                "reference",
                f"{qi(ref.column)} is not null and ref_{index}._ref_key is null",
                f"{ql('unknown ' + ref.column + ' ')} || {_quoted_value(_raw(ref.column))} || "
                f"{ql(f' (not in {known})')}",
            )
        )
    return checks


SMALL_BATCH_BYTES = 16 * 2**20
"""Batches up to this size (a day's delivery) are small: the loader tries them by the
one-statement load first (:mod:`ingestion.direct_load`), runs them on one DuckDB thread,
and checks their references against the target rows within their own range only
(:func:`_reference_keys`); a larger one (a first load of history) reads the reference
targets whole, as the narrowing holds the batch's typed rows in memory."""


def _reference_keys(conn: duckdb.DuckDBPyConnection, ref: Reference, narrow: bool) -> str:
    """SQL of the distinct known values of a reference: its loaded sources and extra values.

    ``narrow``: only target values the batch holds are kept, and only those within the
    batch's min..max of the column are read - the same matches, and a table whose values
    follow load order (receipts of recent invoices) is read by the few row groups the
    zone maps keep, not whole. It reads the batch's typed rows more than once, so DuckDB
    keeps them in memory: for small batches only (:data:`SMALL_BATCH_BYTES`).
    """
    column = qi(ref.column)
    target = qi(ref.target_column)
    within = ""
    if narrow:
        within = (
            f" where {target} between (select min({column}) from typed) "
            f"and (select max({column}) from typed) and {target} in (select {column} from typed)"
        )
    parts = [
        f"select {target} as _ref_key from raw.{qi(source)}{within}"
        for source in ref.sources
        if source == ref.source or table_exists(conn, "raw", source)
    ]
    parts += [f"select {ql(v)} as _ref_key" for v in ref.extra_values]
    return (
        "select distinct _ref_key from ("
        + " union all ".join(parts)
        + ") where _ref_key is not null"
    )


def _key_text(contract: SourceContract, prefix: str = "") -> str:
    parts = []
    for name in contract.primary_key:
        column = next(c for c in contract.columns if c.name == name)
        value = f"cast({prefix}{qi(name)} as varchar)"
        parts.append(_quoted_value(value) if column.type.upper() == "VARCHAR" else value)
    label = f"duplicate key ({', '.join(contract.primary_key)})=("
    return f"{ql(label)} || " + " || ', ' || ".join(parts) + " || ')'"


def raw_record_sql(contract: SourceContract, stage_alias: str | None = None) -> str:
    """JSON text of a row's original values (and workbook cell).

    Reads the ``_raw_`` text columns of the validation pass, or the stage's
    own columns when ``stage_alias`` is given.
    """
    prefix = f"{stage_alias}." if stage_alias else ""
    pairs = [f"{ql(c)}, {prefix}{qi(c) if stage_alias else _raw(c)}" for c in contract.column_names]
    if contract.format == "xlsx":
        pairs.append(f"'_cell', {prefix}{qi('_cell')}")
    return "json_object(" + ", ".join(pairs) + ")::varchar"


def set_personal_data_key(
    conn: duckdb.DuckDBPyConnection, contract: SourceContract, settings: ContractSettings
) -> None:
    """Bind the company's hash key for the contract's hashed personal columns, if any."""
    if any(c.personal == "hash" for c in contract.columns):
        conn.execute(f"set variable {PERSONAL_DATA_KEY_VARIABLE} = ?", [settings.personal_data_key])


def _typed(contract: SourceContract, every_raw: bool) -> str:
    """The select list of the ``typed`` CTE: each contract column typed, and its text as
    ``_raw_<name>`` (``every_raw`` false: only the texts the checks read, not the ones
    only the reasons and raw records read)."""
    return ", ".join(
        [f"{typed_value(c)} as {qi(c.name)}" for c in contract.columns]
        + [
            f"{qi(c.name)} as {_raw(c.name)}"
            for c in contract.columns
            if every_raw or not _is_text(c)
        ]
    )


def _reference_ctes(conn: duckdb.DuckDBPyConnection, contract: SourceContract, narrow: bool) -> str:
    """``ref_<i> as (...),`` CTEs of the contract's references (see :func:`_reference_keys`)."""
    return "".join(
        f"ref_{i} as ({_reference_keys(conn, ref, narrow)}),\n"
        for i, ref in enumerate(contract.references)
    )


def _reference_joins(contract: SourceContract) -> str:
    """The left joins of the ``typed`` rows (alias ``t``) to their reference CTEs."""
    return "\n".join(
        f"left join ref_{i} on ref_{i}._ref_key = t.{qi(ref.column)}"
        for i, ref in enumerate(contract.references)
    )


def passing_ctes(
    conn: duckdb.DuckDBPyConnection,
    contract: SourceContract,
    settings: ContractSettings,
    stage: str,
) -> str:
    """CTEs ending in ``passing``: the rows of the ``stage`` query that pass every check of
    :func:`build_checked` and have their whole primary key, typed, with their ``_file``,
    ``_file_idx`` and ``_row_number``.

    The same checks as :func:`build_checked`, folded into one condition and without the
    reasons' SQL, whose parsing and planning cost more than a day's rows take to check: for
    :mod:`ingestion.direct_load`, which loads a batch this way only when every row passes.
    References are read within the batch's range (a small batch). Binds the personal-data
    hash key on ``conn`` first, as :func:`build_checked` does.
    """
    set_personal_data_key(conn, contract, settings)
    # no coalesce(..., false) around each condition (shorter SQL, quicker to plan): a NULL
    # one leaves its row out, and a row left out sends the batch to the checked path
    failing = " or ".join(f"({cond})" for _, cond, _ in _checks(contract, settings))
    keys_present = " and ".join(f"{qi(k)} is not null" for k in contract.primary_key)
    return f"""
        typed as (
            select _file, _file_idx, _row_number, {_typed(contract, every_raw=False)}
            from ({stage})
        ),
        {_reference_ctes(conn, contract, narrow=True)}passing as (
            select t.* from typed as t
            {_reference_joins(contract)}
            where not ({failing or "false"}) and {keys_present}
        )"""


def build_checked(
    conn: duckdb.DuckDBPyConnection,
    contract: SourceContract,
    settings: ContractSettings | None = None,
    narrow: bool = False,
) -> None:
    """Create ``_ingest_checked`` from ``_ingest_stage`` in one pass (every check but keys).

    Columns: ``_file``, ``_file_idx``, ``_row_number``, the typed contract
    columns, ``_reason``/``_rule``/``_checks`` (NULL for a good row), ``_raw_record``
    (JSON of the original text, failing rows only) and ``_key_hash`` (hash of
    the primary key, good rows only) for :func:`flag_duplicates`. ``settings``
    gives the company's allowed sets (default: the contract's declarations); ``narrow``
    restricts the reference targets read to the batch's range (:func:`_reference_keys`).
    """
    settings = settings or ContractSettings()
    set_personal_data_key(conn, contract, settings)
    typed = _typed(contract, every_raw=True)
    if contract.format == "xlsx":
        typed += ", _cell"
    checks = _checks(contract, settings)
    joins = _reference_joins(contract)
    references = _reference_ctes(conn, contract, narrow)
    conditions = ", ".join(
        f"coalesce({cond}, false) as _c{i}" for i, (_, cond, _) in enumerate(checks)
    )
    any_bad = " or ".join(f"_c{i}" for i in range(len(checks)))
    reasons = ", ".join(f"case when _c{i} then {r} end" for i, (_, _, r) in enumerate(checks))
    reason = f"concat_ws('; ', {reasons})"
    if contract.format == "xlsx":
        reason = f"{reason} || coalesce(' (cell ' || _cell || ')', '')"
    rules = ", ".join(f"case when _c{i} then {ql(n)} end" for i, (n, _, _) in enumerate(checks))
    labels = ", ".join(
        f"case when _c{i} then {ql(label)} end" for i, label in enumerate(_labels(contract))
    )
    keys = [qi(k) for k in contract.primary_key]
    keys_present = " and ".join(f"{k} is not null" for k in keys)
    contract_cols = ", ".join(qi(c) for c in contract.column_names)
    conn.execute(
        f"""
        create or replace temp table {CHECKED} as
        with typed as (
            select _file, _file_idx, _row_number, {typed} from {STAGE}
        ),
        {references}conditions as (
            select t.*, {conditions}
            from typed as t
            {joins}
        ),
        flagged as (
            select *, {any_bad} as _bad from conditions
        )
        select _file, _file_idx, _row_number, {contract_cols},
            case when _bad then {reason} end as _reason,
            case when _bad then concat_ws(', ', {rules}) end as _rule,
            case when _bad then list_filter([{labels}], lambda x: x is not null) end as _checks,
            case when _bad then {raw_record_sql(contract)} end as _raw_record,
            case when not _bad and {keys_present} then hash({", ".join(keys)}) end as _key_hash
        from flagged
        """
    )


def loaded_in_range(contract: SourceContract, columns: str, batch: str) -> str:
    """SQL of ``raw.<source>``'s ``columns`` for the loaded rows whose first key column lies
    within the ``batch`` rows' (a subquery or CTE name) min..max of it: the only loaded
    rows that can repeat a batch key. For ids that grow with time the zone maps keep a few
    row groups only where the rows are stored in id order, as the checked path's insert
    leaves them (``batch._insert_rows``); rows stored out of order are read from every row
    group. Read by :func:`flag_duplicates` and :mod:`ingestion.direct_load`."""
    first = qi(contract.primary_key[0])
    return (
        f"select {columns} from raw.{qi(contract.name)} "
        f"where {first} between (select min({first}) from {batch}) "
        f"and (select max({first}) from {batch})"
    )


def flag_duplicates(
    conn: duckdb.DuckDBPyConnection, contract: SourceContract, check_loaded: bool
) -> int:
    """Quarantine good rows of ``_ingest_checked`` whose primary key repeats.

    The first occurrence in the batch (by file order, then row) stays good;
    later ones name it. With ``check_loaded``, rows whose key is already in
    ``raw.<source>`` (other files; the batch's own earlier versions must be
    deleted first) name the file it came from; only loaded rows within the batch's range
    are read (:func:`loaded_in_range`: the same matches). Candidates are found by key
    hash, then compared on the key values.
    Returns the number of rows flagged.
    """
    keys = [qi(k) for k in contract.primary_key]
    key_list = ", ".join(keys)
    key_join = " and ".join(f"c.{k} = r.{k}" for k in keys)
    batch_keys = f"(select * from {CHECKED} where _key_hash is not null)"
    loaded = ""
    if check_loaded:
        loaded = f"""
        union all
        select _file, _row_number, {_key_text(contract)} || ', already loaded from ' || _prev
        from (
            select c._file, c._row_number, {", ".join(f"c.{k}" for k in keys)},
                min(r._source_file) as _prev
            from {CHECKED} as c join (
                {loaded_in_range(contract, key_list + ", _source_file", batch_keys)}
            ) as r on {key_join}
            where c._key_hash is not null
            group by c._file, c._row_number, {", ".join(f"c.{k}" for k in keys)}
        )"""
    flagged = conn.execute(
        f"""
        create or replace temp table _ingest_dups as
        with repeated as (
            select _key_hash from {CHECKED} where _key_hash is not null
            group by _key_hash having count(*) > 1
        ),
        ranked as (
            select _file, _row_number, {key_list},
                row_number() over w as _rank,
                first_value(_file) over w as _first_file,
                first_value(_row_number) over w as _first_row
            from {CHECKED} semi join repeated using (_key_hash)
            window w as (partition by {key_list} order by _file_idx, _row_number)
        ),
        found as (
            select _file, _row_number,
                {_key_text(contract)} || ', first seen in row ' || _first_row || ' of ' || _first_file
                    as reason
            from ranked where _rank > 1{loaded}
        )
        select _file, _row_number, string_agg(reason, '; ' order by reason) as reason
        from found group by all
        """
    ).fetchall()[0][0]
    if flagged:
        conn.execute(
            f"""
            update {CHECKED} as c
            set _reason = d.reason, _rule = 'duplicate_key', _raw_record = d.raw_record
            from (
                select d._file, d._row_number, d.reason, {raw_record_sql(contract, "s")} as raw_record
                from _ingest_dups as d
                join (select * from {STAGE} semi join _ingest_dups using (_file, _row_number)) as s
                    using (_file, _row_number)
            ) as d
            where c._file = d._file and c._row_number = d._row_number
            """
        )
    return int(flagged)
