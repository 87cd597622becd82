"""Planning cycles: one monthly partition per cycle "as of month M".

A cycle's partition key is the first day of M (``2026-10-01``). It exists
once M is complete, so the newest cycle is always the last closed month.
The partitions start wide (``planning.earliest_cycle``, default 2000-01) so
that a company's own history fits whatever year it starts; which cycles the
data supports is decided at run time by :mod:`orchestration.cycles` (enough
history, month closed) and a cycle outside that window fails with the reason.
"""

import dagster as dg

from orchestration.settings import platform_settings

EARLIEST_CYCLE = f"{platform_settings().get('planning', {}).get('earliest_cycle', '2000-01')}-01"

planning_cycles = dg.MonthlyPartitionsDefinition(start_date=EARLIEST_CYCLE, end_offset=0)
