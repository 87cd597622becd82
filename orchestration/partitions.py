"""Planning cycles: one monthly partition per cycle "as of month M".

A cycle's partition key is the first day of M (``2026-10-01``). It exists
once M is complete, so the newest cycle is always the last closed month.
"""

import dagster as dg

FIRST_CYCLE = "2024-01-01"

planning_cycles = dg.MonthlyPartitionsDefinition(start_date=FIRST_CYCLE, end_offset=0)
