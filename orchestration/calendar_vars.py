"""The dbt calendar's span (vars ``calendar_start_date`` / ``calendar_end_date``) from the data.

``dim_date`` and the MetricFlow time spine must cover a company's first order
year (2019 for one, 2023 for the demo) and the forecast horizon after its
newest order. Whole years: from 1 January of the first order's year to the
1 January after the newest order plus ``forecast.horizon_months`` (and one
month of margin). With no order loaded yet, the ``dbt_project.yml`` defaults
stay.
"""

from __future__ import annotations

from datetime import date

from orchestration.cycles import OrderHistory, add_months


def calendar_vars(history: OrderHistory, horizon_months: int) -> dict[str, str]:
    """dbt vars spanning ``history`` and the horizon after it (empty without history)."""
    if history.first is None or history.newest is None:
        return {}
    end = add_months(history.newest.replace(day=1), int(horizon_months) + 1)
    return {
        "calendar_start_date": date(history.first.year, 1, 1).isoformat(),
        "calendar_end_date": date(end.year + 1, 1, 1).isoformat(),
    }


def warehouse_calendar_vars(warehouse) -> dict[str, str]:
    """:func:`calendar_vars` of the warehouse resource's loaded orders and the home's horizon."""
    from orchestration.cycles import warehouse_order_history
    from orchestration.settings import platform_settings

    history = warehouse_order_history(warehouse.home.warehouse_path)
    horizon = int(platform_settings(warehouse.home.root)["forecast"]["horizon_months"])
    return calendar_vars(history, horizon)
