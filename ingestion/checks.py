"""The row checks a contract (or a mart suite) declares, as data: never as SQL text.

After PUDL's field constraints (``minimum``, ``enum``, ``pattern``, ``required``):
each check names the columns it reads and says in words what it wants, and
two compilers read the same objects, :mod:`ingestion.validation` (the
quarantine SQL) and :mod:`data_quality.suites` (the Great Expectations suites
of the marts). A required column (``Column.required``) is the single-column
not-null check; :class:`NotNull` is the either-or one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Number = int | float


def _number(value: Number) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class Range:
    """``column`` lies within [minimum, maximum]; an exclusive bound excludes itself."""

    name: str
    column: str
    minimum: Number | None = None
    maximum: Number | None = None
    exclusive_minimum: bool = False
    exclusive_maximum: bool = False
    note: str = ""

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    @property
    def message(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            low = "(" if self.exclusive_minimum else "["
            high = ")" if self.exclusive_maximum else "]"
            text = f"must be in {low}{_number(self.minimum)}, {_number(self.maximum)}{high}"
        elif self.minimum is not None:
            text = f"must be {'>' if self.exclusive_minimum else '>='} {_number(self.minimum)}"
        elif self.maximum is not None:
            text = f"must be {'<' if self.exclusive_maximum else '<='} {_number(self.maximum)}"
        else:
            raise ValueError(f"range check {self.name!r} has no bound")
        return f"{self.column} {text}{self.note}"


@dataclass(frozen=True)
class Compare:
    """``column`` is greater than ``other`` (``>``) or not less than it (``>=``)."""

    name: str
    column: str
    op: Literal[">", ">="]
    other: str
    note: str = ""

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column, self.other)

    @property
    def message(self) -> str:
        text = "must be after" if self.op == ">" else "must not precede"
        return f"{self.column} {text} {self.other}{self.note}"


@dataclass(frozen=True)
class OneOf:
    """A closed set: ``column`` must be one of ``values``.

    ``setting`` names the set a company replaces in its settings (``channels``,
    resolved at run time through :class:`ingestion.contracts.ContractSettings`);
    ``values`` is then only the default. ``ignore_case`` compares lower-cased.
    """

    name: str
    column: str
    values: tuple[str, ...]
    setting: str | None = None
    ignore_case: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def message(self, values: tuple[str, ...] | None = None) -> str:
        """What a failing value is not in: ``allowed set channels (a, b)``."""
        shown = ", ".join(self.values if values is None else values)
        named = f" {self.setting}" if self.setting else ""
        return f"is not in the allowed set{named} ({shown})"


@dataclass(frozen=True)
class Pattern:
    """The value, as text (dates as ISO ``YYYY-MM-DD``), fully matches ``regex``.

    ``meaning`` says in words what the pattern asks (``the first day of a month``).
    """

    name: str
    column: str
    regex: str
    meaning: str

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    @property
    def message(self) -> str:
        return f"{self.column} must be {self.meaning}"


@dataclass(frozen=True)
class NotNull:
    """At least one of ``columns`` is given (one column: that column is)."""

    name: str
    columns: tuple[str, ...]

    @property
    def message(self) -> str:
        if len(self.columns) == 1:
            return f"{self.columns[0]} must be given"
        return f"either {' or '.join(self.columns)} must be given"


Check = Range | Compare | OneOf | Pattern | NotNull

FIRST_OF_MONTH = r"\d{4}-\d{2}-01"
"""The ISO text of a date that is the first day of its month."""


def month_start(column: str, name: str = "month_start") -> Pattern:
    """The check that ``column`` (a DATE) is the first day of a month."""
    return Pattern(name, column, FIRST_OF_MONTH, "the first day of a month")
