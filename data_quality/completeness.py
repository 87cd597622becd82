"""Completeness rule: every expected business day of a daily source is present in the recent window.

Freshness only looks at the newest event date, so a day missing mid-month
(a daily file never delivered) would go unnoticed. Which days are business
days is learned from the source's own history, never assumed (a company may
book orders Monday to Friday, Monday to Saturday or every day):

* a weekday is **expected** when events fell on it in at least
  :data:`MIN_WEEK_SHARE` (90 %) of the :data:`HISTORY_WEEKS` (26) weeks
  before the window; a source with fewer than :data:`MIN_HISTORY_WEEKS` (8)
  weeks of history before the window is not checked. Sparse sources
  (returns, receipts of a small company) and month-dated ones therefore
  expect no day and are not checked;
* and, when the rows per date are known, only a weekday busy enough that a day
  without any row is itself a signal: at least :data:`MIN_EVENTS_PER_DAY` (20)
  rows on its average active day. Rows come in clusters (an order has several
  lines), so a day of 20 lines may be four orders; an empty such day is rare,
  an empty day of a small company's quiet weekday is not, and is not checked;
* every expected weekday in the window - the :data:`WINDOW_DAYS` (35) days
  before ``as_of``, up to the newest event date (later days are the
  freshness check's business) - must have at least one event.

A missing day is a **warning**, not a blocking failure: public holidays and
plant shutdowns are real days without orders that the data cannot tell from a
lost file, and blocking every plan for five weeks after each Spring Festival
would teach people to ignore the gate. The check names the missing dates; a
source that stops altogether is caught by the (critical) freshness check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

WINDOW_DAYS = 35
HISTORY_WEEKS = 26
MIN_HISTORY_WEEKS = 8
MIN_WEEK_SHARE = 0.9
MIN_EVENTS_PER_DAY = 20
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class ExpectedDays:
    """The business days a window must hold, and how they were decided."""

    dates: tuple[dt.date, ...]
    window_start: dt.date
    window_end: dt.date
    weekdays: tuple[int, ...]
    rule: str


def history_start(as_of: dt.date, window_days: int = WINDOW_DAYS) -> dt.date:
    """The first event date :func:`expected_days` looks at (to bound the query)."""
    return as_of - dt.timedelta(days=window_days + 7 * HISTORY_WEEKS)


def _counts(dates: Mapping[dt.date, int] | Iterable[dt.date]) -> dict[dt.date, int | None]:
    if isinstance(dates, Mapping):
        return dict(dates)
    return dict.fromkeys(dates)


def expected_weekdays(
    dates: Mapping[dt.date, int] | Iterable[dt.date], before: dt.date
) -> tuple[int, ...] | None:
    """Weekdays (0 = Monday) with events in >= 90 % of the 26 weeks before ``before`` (and,
    given rows per date, >= 5 events on their average active day).

    ``None`` when the history before ``before`` spans fewer than 8 weeks.
    """
    counts = _counts(dates)
    start = before - dt.timedelta(weeks=HISTORY_WEEKS)
    past = {d for d in counts if start <= d < before}
    if not past:
        return None
    first = max(min(past), start)
    n_weeks = (before - first).days // 7
    if n_weeks < MIN_HISTORY_WEEKS:
        return None
    begin = before - dt.timedelta(weeks=n_weeks)
    weeks_with: dict[int, set[int]] = {}
    events: dict[int, list[int]] = {}
    for d in past:
        if d >= begin:
            weeks_with.setdefault(d.weekday(), set()).add((d - begin).days // 7)
            n_events = counts[d]
            if n_events is not None:
                events.setdefault(d.weekday(), []).append(n_events)

    def busy(weekday: int) -> bool:
        seen = events.get(weekday)
        return not seen or sum(seen) / len(seen) >= MIN_EVENTS_PER_DAY

    return tuple(
        sorted(
            w
            for w, weeks in weeks_with.items()
            if len(weeks) >= MIN_WEEK_SHARE * n_weeks and busy(w)
        )
    )


def expected_days(
    dates: Mapping[dt.date, int] | Iterable[dt.date],
    as_of: dt.date,
    window_days: int = WINDOW_DAYS,
) -> ExpectedDays | None:
    """The dates the window before ``as_of`` must hold; ``None`` when there is nothing to check."""
    counts = _counts(dates)
    window_start = as_of - dt.timedelta(days=window_days)
    in_window = [d for d in counts if window_start <= d < as_of]
    weekdays = expected_weekdays(counts, window_start)
    if not in_window or not weekdays:
        return None
    window_end = max(in_window)
    expected = tuple(
        window_start + dt.timedelta(days=i)
        for i in range((window_end - window_start).days + 1)
        if (window_start + dt.timedelta(days=i)).weekday() in weekdays
    )
    names = ", ".join(WEEKDAYS[w] for w in weekdays)
    rule = (
        f"every business day ({names}: weekdays with events in >= {MIN_WEEK_SHARE:.0%} of "
        f"the {HISTORY_WEEKS} weeks before, >= {MIN_EVENTS_PER_DAY} a day) from {window_start} to the newest event "
        f"{window_end} has events"
    )
    return ExpectedDays(expected, window_start, window_end, weekdays, rule)


def missing_days(dates: Iterable[dt.date], expected: ExpectedDays) -> list[dt.date]:
    """The expected dates without any event."""
    present = set(dates)
    return [d for d in expected.dates if d not in present]
