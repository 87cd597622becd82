"""Forecasting library of the S&OP platform: tidy pandas frames in, tidy frames out.

No Dagster, no database: the caller reads the warehouse, calls
:func:`run_cycle` once per planning cycle and writes the frames back. The
consensus (the sales team's submission spread over this forecast) is
relational and lives in dbt (``int_consensus_allocated``).

Input contract
--------------
panel : DataFrame
    sku, product_line, region, channel, month (Timestamp, first of month),
    demand_units (float; ordered units = unconstrained demand, not shipments).
    Rows after ``cycle_month`` are ignored. A missing sku x region x channel x
    month between a series' first demand and the cycle month means zero demand.
products : DataFrame or None
    sku, product_line, launch_date, discontinue_date (NaT while active). A series
    forecasts zero for target months starting after its discontinue date.
drivers : DataFrame or None
    sku, region, month, promo_depth (0..1; planned promotions, so future months
    are filled), list_price. Holiday features are derived here from the calendar
    named by ``CycleConfig.holiday_calendar`` (:mod:`models_ml.calendars`:
    ``chinese`` = Spring Festival, 618, Double 11; ``none`` = month of year only).

Output contract (:class:`models_ml.cycle.CycleResult`)
------------------------------------------------------
forecast : cycle_month, sku, product_line, region, channel, target_month, lag
    (1..horizon), p10, p50, p90, naive (seasonal naive, the FVA baseline), model
    (selected), demand_class (smooth / erratic / intermittent / lumpy / new /
    discontinued). Non-negative, p10 <= p50 <= p90, reconciled.
backtest : cycle_month, sku, product_line, region, channel, demand_class, model,
    wape, mase, n_origins, selected: every candidate's rolling-origin score.
coverage : measured P10-P90 coverage of the backtests (cross-conformal).
hierarchy : p50 summed at levels total, product_line, sku, region, region_channel.
summary, timings : lag-1 backtest WAPE per candidate and seconds per step.
"""

from models_ml.config import CycleConfig
from models_ml.cycle import CycleResult, run_cycle
from models_ml.panel_forecaster import StatsForecastPanel

__all__ = [
    "CycleConfig",
    "CycleResult",
    "StatsForecastPanel",
    "run_cycle",
]
