"""Run settings that are configuration, not code: read from ``config/platform.yml``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

CONFIG_PATH = Path(__file__).resolve().parent.parent / "config" / "platform.yml"


@lru_cache(maxsize=1)
def platform_settings() -> dict[str, Any]:
    """The platform configuration file as a dict (schedules, thresholds, owners)."""
    return yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))


def forecast_cycle_config():
    """The forecasting cycle's settings (``forecast`` section): what ``make run`` and the bench use."""
    from models_ml import CycleConfig

    settings = platform_settings()["forecast"]
    return CycleConfig(
        horizon=int(settings["horizon_months"]),
        seed=int(settings["seed"]),
        models=tuple(settings["models"]),
        ensemble_members=tuple(settings["ensemble_members"]),
        backtest_windows=int(settings["backtest_windows"]),
        backtest_refit=bool(settings.get("backtest_refit", True)),
        smooth_fallback=settings["smooth_fallback"],
    )
