"""Which rows the warehouse build's data tests read: the months rebuilt, or everything.

A daily run rebuilds the months its new files touch (the incremental facts); testing the
whole of every fact each night would cost what the history costs. So the daily build tests
the incremental facts on the months it rebuilt (``test_scope: increment``, see
``dbt_project/macros/increment_test_scope.sql``), and the run of the first day of each
month, a run without an as-of date, a full refresh and a bare ``dbt build`` test every row
(``full``). Every row is thus tested at least once a month, before the monthly cycle plans
on it, and every row a night changes is tested that night.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from orchestration.checks import AS_OF_TAG


def dbt_test_scope(tags: Mapping[str, str]) -> dict[str, str]:
    """``{"test_scope": ...}`` for a run with these tags (``sop/as_of``: the run's day)."""
    text = tags.get(AS_OF_TAG)
    if not text or dt.date.fromisoformat(text).day == 1:
        return {"test_scope": "full"}
    return {"test_scope": "increment"}
