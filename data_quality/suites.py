"""What each suite checks, read from one declaration, and its Great Expectations suite.

A raw source's suite is derived from its contract (:func:`raw_suite`) and
holds only what the quarantine cannot know row by row: freshness (the newest
event, or load, is recent), volume (the newest load neither collapses nor
spikes) and completeness (every business day arrived). Every row rule of the
contract (types, required values, allowed sets, ranges, comparisons,
references, duplicate keys) is enforced once, at ingest, and the raw key is
tested again by dbt (:mod:`ingestion.dbt_sources`). A mart suite
(:mod:`data_quality.catalog`) also checks its key, required columns and row
checks, written in the contracts' vocabulary (:mod:`ingestion.checks`).

Every expectation carries ``meta`` naming its check (``check``), its kind
(``kind``), its ``severity`` (:mod:`data_quality.severity`) and the columns it
reads, so results are reported and gated without parsing GX's configuration.
Run-dependent values (the as-of date, the volume bounds, the expected days)
are arguments: nothing here reads the clock or the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd

from data_quality.completeness import ExpectedDays
from data_quality.severity import CheckKind, severity_for
from ingestion.checks import Check, Compare, NotNull, OneOf, Pattern, Range
from ingestion.contracts import SourceContract

LOADED_AT = "_loaded_at"
SOURCE_FILE = "_source_file"
DAYS_IN_LONGEST_MONTH = 31


@dataclass(frozen=True)
class Suite:
    """Everything one suite checks on one table.

    Attributes
    ----------
    name : str
        Suite name (the key in ``audit.dq_results``).
    table : str
        Table validated, ``schema.name``.
    key : tuple of str
        Columns whose combination must be unique (marts; empty for raw tables).
    required : tuple of str
        Columns that must not be null (marts).
    checks : tuple of Check
        Row checks (marts), in :mod:`ingestion.checks` terms.
    event_date_column : str or None
        Date column whose newest value measures freshness, and whose distinct
        values count a load's periods (volume) and days (completeness).
    max_age_days : int or None
        Oldest the newest event (or load, for snapshots) may be, in days before ``as_of``.
    snapshot : bool
        Every load is a full snapshot: only the newest load's rows are validated.
    check_volume : bool
        Compare the newest load's row count with the previous loads.
    check_completeness : bool
        Every expected business day of the recent window has events.
    """

    name: str
    table: str
    key: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    event_date_column: str | None = None
    max_age_days: int | None = None
    snapshot: bool = False
    check_volume: bool = True
    check_completeness: bool = False

    @property
    def freshness_column(self) -> str | None:
        """The event date, or for snapshots without one the load time; ``None``: no freshness."""
        if self.max_age_days is None:
            return None
        if self.event_date_column:
            return self.event_date_column
        return LOADED_AT if self.snapshot else None

    @property
    def columns(self) -> tuple[str, ...]:
        """Every table column the suite reads, in first-mention order."""
        names = [*self.key, *self.required, *(c for check in self.checks for c in check.columns)]
        if self.freshness_column:
            names.append(self.freshness_column)
        return tuple(dict.fromkeys(names))


def raw_suite(contract: SourceContract) -> Suite:
    """The suite of ``raw.<source>``: freshness, volume and completeness from its contract.

    A month-dated source (``event_period == "month"``) has its freshness counted
    from the end of its newest month (otherwise the December GL would be stale
    on 12 January) and no business days to check.
    """
    monthly = contract.event_period == "month"
    max_age = contract.max_age_days
    if monthly and max_age is not None:
        max_age += DAYS_IN_LONGEST_MONTH
    return Suite(
        name=f"raw_{contract.name}",
        table=contract.raw_table,
        event_date_column=contract.event_date_column,
        max_age_days=max_age,
        snapshot=contract.load_mode == "snapshot",
        check_completeness=contract.event_date_column is not None
        and contract.load_mode == "by_file"
        and not monthly,
    )


def text_column(check: Pattern) -> str:
    """The column the runner fills with ``check.column`` as text, for the regex expectation."""
    return f"{check.column}__text"


def _meta(suite: Suite, kind: CheckKind, check: str, columns: list[str]) -> dict:
    return {
        "check": check,
        "kind": kind,
        "severity": severity_for(suite.name, kind),
        "columns": columns,
    }


def _check_expectation(suite: Suite, check: Check) -> gxe.Expectation:
    columns = list(check.columns)
    if isinstance(check, Range):
        return gxe.ExpectColumnValuesToBeBetween(
            column=check.column,
            min_value=check.minimum,
            max_value=check.maximum,
            strict_min=check.exclusive_minimum,
            strict_max=check.exclusive_maximum,
            meta=_meta(suite, "range", f"range:{check.name}", columns),
        )
    meta = _meta(suite, "rule", f"rule:{check.name}", columns)
    if isinstance(check, Compare):
        return gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=check.column,
            column_B=check.other,
            or_equal=check.op == ">=",
            ignore_row_if="either_value_is_missing",
            meta=meta,
        )
    if isinstance(check, OneOf):
        return gxe.ExpectColumnValuesToBeInSet(
            column=check.column, value_set=list(check.values), meta=meta
        )
    if isinstance(check, Pattern):
        return gxe.ExpectColumnValuesToMatchRegex(
            column=text_column(check), regex=f"^{check.regex}$", meta=meta
        )
    if isinstance(check, NotNull) and len(check.columns) == 1:
        return gxe.ExpectColumnValuesToNotBeNull(column=check.columns[0], meta=meta)
    raise TypeError(f"{suite.name}: no expectation for check {check!r}")


def build_suite(suite: Suite, *, as_of: date) -> gx.ExpectationSuite:
    """The expectations of ``suite`` on its main batch, as of ``as_of``.

    Schema (the columns the suite reads are present), key, not-null and row
    checks (marts), freshness. Volume and completeness run on batches of their
    own: see :func:`build_volume_expectation`, :func:`build_completeness_expectation`.
    """
    expectations = gx.ExpectationSuite(name=suite.name)
    read = list(suite.columns)
    expectations.add_expectation(
        gxe.ExpectTableColumnsToMatchSet(
            column_set=read,
            exact_match=False,
            meta=_meta(suite, "schema", "schema:columns_present", read),
        )
    )
    key = list(suite.key)
    key_meta = _meta(suite, "unique_key", f"unique_key({', '.join(key)})", key)
    if len(key) == 1:
        expectations.add_expectation(gxe.ExpectColumnValuesToBeUnique(column=key[0], meta=key_meta))
    elif key:
        expectations.add_expectation(
            gxe.ExpectCompoundColumnsToBeUnique(column_list=key, meta=key_meta)
        )
    for column in suite.required:
        expectations.add_expectation(
            gxe.ExpectColumnValuesToNotBeNull(
                column=column, meta=_meta(suite, "not_null", f"not_null({column})", [column])
            )
        )
    for check in suite.checks:
        expectations.add_expectation(_check_expectation(suite, check))
    fresh = suite.freshness_column
    if fresh and suite.max_age_days is not None:
        oldest_allowed = pd.Timestamp(as_of - timedelta(days=suite.max_age_days))
        expectations.add_expectation(
            gxe.ExpectColumnMaxToBeBetween(
                column=fresh,
                min_value=oldest_allowed,
                meta=_meta(
                    suite,
                    "freshness",
                    f"freshness({fresh}, max_age_days={suite.max_age_days})",
                    [fresh],
                )
                | {"as_of": as_of.isoformat()},
            )
        )
    for position, expectation in enumerate(expectations.expectations):
        expectation.meta = (expectation.meta or {}) | {"order": position}
    return expectations


def build_volume_expectation(
    suite: Suite, min_rows: int, rule: str, max_rows: int | None = None
) -> gxe.Expectation:
    """Row-count bounds of the newest load, validated on a batch holding only that load.

    ``rule`` states how the bounds were derived (:mod:`data_quality.volume`);
    no upper bound when ``max_rows`` is absent.
    """
    return gxe.ExpectTableRowCountToBeBetween(
        min_value=min_rows,
        max_value=max_rows,
        meta=_meta(suite, "volume", "volume(newest_load)", []) | {"rule": rule},
    )


def build_completeness_expectation(suite: Suite, expected: ExpectedDays) -> gxe.Expectation:
    """Every expected business day present, validated on the window's distinct event dates (ISO text).

    See :mod:`data_quality.completeness` for how the expected days are decided.
    """
    column = suite.event_date_column
    if column is None:
        raise ValueError(f"suite {suite.name}: completeness needs an event date column")
    return gxe.ExpectColumnDistinctValuesToContainSet(
        column=column,
        value_set=[d.isoformat() for d in expected.dates],
        meta=_meta(suite, "completeness", f"completeness({column})", [column])
        | {"rule": expected.rule},
    )
