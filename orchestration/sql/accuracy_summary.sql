-- Accuracy over every scored cycle by level, lag window and method (reports.rpt_accuracy_summary).
select
    level,
    lag_window,
    method,
    cycles,
    wape,
    forecast_accuracy,
    bias,
    interval_coverage
from reports.rpt_accuracy_summary
order by level_order, lag_window, method_order
