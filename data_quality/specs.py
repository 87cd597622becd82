"""What a suite checks, as plain data: derived from a source contract or declared for a mart.

A ``TableSpec`` lists the key, the required columns, the value checks, the
references and the freshness and volume settings of one table. Raw-source specs
are generated from ``ingestion.contracts`` (``spec_from_contract``), so the
suites can never drift from the contracts. Contract row rules are SQL
predicates; the common shapes (``x >= 0``, ``x >= 0 and x < 1``, ``a >= b``,
``x in ('a', 'b')``) become native Great Expectations expectations, and any
other predicate is evaluated by DuckDB into a boolean column that the suite
expects to be true (``SqlRuleCheck``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingestion.contracts import SourceContract


@dataclass(frozen=True)
class RangeCheck:
    """``column`` lies within [min_value, max_value]; strict bounds exclude the bound."""

    name: str
    column: str
    min_value: float | None = None
    max_value: float | None = None
    strict_min: bool = False
    strict_max: bool = False


@dataclass(frozen=True)
class PairCheck:
    """``column_a`` is greater than (or equal to, with ``or_equal``) ``column_b``."""

    name: str
    column_a: str
    column_b: str
    or_equal: bool = True


@dataclass(frozen=True)
class SetCheck:
    """``column`` takes only values from ``values``."""

    name: str
    column: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class SqlRuleCheck:
    """A SQL predicate over the row that must not be false (NULL counts as not applicable)."""

    name: str
    predicate: str
    columns: tuple[str, ...]

    @property
    def flag_column(self) -> str:
        """Name of the boolean column DuckDB computes for this rule."""
        return f"_rule__{self.name}"


@dataclass(frozen=True)
class ReferenceCheck:
    """Every non-null ``column`` value exists in ``target_table.target_column``.

    ``also_tables`` are further tables whose ``target_column`` counts as known;
    ``extra_values`` are accepted without a target row (a promotion's ``ALL``).
    """

    column: str
    target_table: str
    target_column: str
    also_tables: tuple[str, ...] = ()
    extra_values: tuple[str, ...] = ()


ValueCheck = RangeCheck | PairCheck | SetCheck | SqlRuleCheck


@dataclass(frozen=True)
class TableSpec:
    """Everything one suite checks on one table.

    Attributes
    ----------
    suite_name : str
        Name of the suite (also the key in ``audit.dq_results``).
    table : str
        Default table the suite validates, ``schema.name``.
    key : tuple of str
        Columns whose combination must be unique.
    required : tuple of str
        Columns that must not be null.
    value_checks : tuple
        Range, pair, set and SQL rule checks.
    references : tuple of ReferenceCheck
        Foreign keys that must resolve.
    event_date_column : str or None
        Date column whose newest value measures freshness.
    max_age_days : int or None
        Oldest the newest event (or load, for snapshots) may be, in days before ``as_of``.
    snapshot : bool
        Every load is a full snapshot: only the newest load's rows are validated.
    check_volume : bool
        Compare the newest load's row count with the previous loads.
    check_completeness : bool
        Every expected business day of the recent window has events
        (``data_quality.completeness``): daily by-file sources.
    """

    suite_name: str
    table: str
    key: tuple[str, ...]
    required: tuple[str, ...]
    value_checks: tuple[ValueCheck, ...] = ()
    references: tuple[ReferenceCheck, ...] = ()
    event_date_column: str | None = None
    max_age_days: int | None = None
    snapshot: bool = False
    check_volume: bool = True
    check_completeness: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        """Table columns the suite reads (rule flags excluded), in first-mention order."""
        names: list[str] = [*self.key, *self.required]
        for check in self.value_checks:
            if isinstance(check, RangeCheck | SetCheck):
                names.append(check.column)
            elif isinstance(check, PairCheck):
                names += [check.column_a, check.column_b]
            else:
                names += list(check.columns)
        names += [r.column for r in self.references]
        if self.event_date_column:
            names.append(self.event_date_column)
        return tuple(dict.fromkeys(names))

    @property
    def sql_rules(self) -> tuple[SqlRuleCheck, ...]:
        """The value checks DuckDB evaluates into boolean flag columns."""
        return tuple(c for c in self.value_checks if isinstance(c, SqlRuleCheck))


_IDENT = r"[a-z_][a-z0-9_]*"
_NUM = r"-?\d+(?:\.\d+)?"
_LOWER_BOUND = re.compile(rf"^({_IDENT}) (>=|>) ({_NUM})$")
_BOUNDED = re.compile(rf"^({_IDENT}) (>=|>) ({_NUM}) and \1 (<=|<) ({_NUM})$")
_PAIR = re.compile(rf"^({_IDENT}) (>=|>) ({_IDENT})$")
_IN_SET = re.compile(rf"^({_IDENT}) in \(((?:'[^']*'(?:, *)?)+)\)$")


def rule_to_check(name: str, predicate: str, known_columns: tuple[str, ...]) -> ValueCheck:
    """Translate one contract rule predicate into the closest value check.

    Parameters
    ----------
    name : str
        Rule name from the contract.
    predicate : str
        SQL predicate over the typed columns.
    known_columns : tuple of str
        Contract columns, used to tell column names from SQL words.
    """
    text = " ".join(predicate.strip().lower().split())
    if m := _BOUNDED.match(text):
        column, low_op, low, high_op, high = m.groups()
        return RangeCheck(
            name,
            column,
            float(low),
            float(high),
            strict_min=low_op == ">",
            strict_max=high_op == "<",
        )
    if m := _LOWER_BOUND.match(text):
        column, op, low = m.groups()
        return RangeCheck(name, column, min_value=float(low), strict_min=op == ">")
    if (m := _PAIR.match(text)) and m.group(3) in known_columns:
        column_a, op, column_b = m.groups()
        return PairCheck(name, column_a, column_b, or_equal=op == ">=")
    if m := _IN_SET.match(text):
        values = tuple(re.findall(r"'([^']*)'", m.group(2)))
        return SetCheck(name, m.group(1), values)
    words = set(re.findall(_IDENT, text))
    columns = tuple(c for c in known_columns if c in words)
    return SqlRuleCheck(name, predicate, columns)


def spec_from_contract(contract: SourceContract) -> TableSpec:
    """Build the spec of ``raw.<source>`` from its contract: the only raw-suite declaration."""
    known = tuple(contract.column_names)
    required = tuple(
        dict.fromkeys([*contract.primary_key, *(c.name for c in contract.columns if c.required)])
    )
    return TableSpec(
        suite_name=f"raw_{contract.name}",
        table=contract.raw_table,
        key=contract.primary_key,
        required=required,
        value_checks=tuple(rule_to_check(r.name, r.predicate, known) for r in contract.rules),
        references=tuple(
            ReferenceCheck(
                r.column,
                f"raw.{r.source}",
                r.target_column,
                also_tables=tuple(f"raw.{a}" for a in r.also),
                extra_values=r.extra_values,
            )
            for r in contract.references
        ),
        event_date_column=contract.event_date_column,
        max_age_days=contract.max_age_days,
        snapshot=contract.load_mode == "snapshot",
        check_completeness=contract.event_date_column is not None
        and contract.load_mode == "by_file",
    )
