"""Run settings that are configuration, not code.

``config/platform.yml`` holds the product defaults (they describe the demo
company). A company's own settings live in ``$SOP_HOME/platform.yml``: any key
given there replaces the default of the same path, so a company writes only
what differs (its name, currency, the sources it sends, its calendar).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

CONFIG_PATH = Path(__file__).resolve().parent.parent / "config" / "platform.yml"
HOME_SETTINGS_FILE = "platform.yml"

REQUIRED_SOURCES = ("products", "customers", "order_lines")
"""The minimal company: without these three there is no demand to plan."""


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _home(home: Path | str | None) -> Path | None:
    if home is None:
        home = os.environ.get("SOP_HOME")
    return Path(home).expanduser().resolve() if home else None


@lru_cache(maxsize=8)
def _load(home: Path | None) -> dict[str, Any]:
    from orchestration.settings_schema import SettingsError, check_settings

    settings = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    own: dict[str, Any] = {}
    own_file = str(home / HOME_SETTINGS_FILE) if home is not None else ""
    if home is not None and (home / HOME_SETTINGS_FILE).is_file():
        try:
            own = yaml.safe_load((home / HOME_SETTINGS_FILE).read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise SettingsError(f"{own_file}: not valid YAML ({error})") from None
        if not isinstance(own, dict):
            raise SettingsError(f"{own_file}: expected a mapping of settings")
        settings = _merge(settings, own)
    check_settings(settings, own, own_file, str(CONFIG_PATH))
    return settings


def platform_settings(home: Path | str | None = None) -> dict[str, Any]:
    """The settings of one home: the defaults with ``$SOP_HOME/platform.yml`` on top.

    ``home`` defaults to ``$SOP_HOME`` read at call time (never at import).
    """
    return _load(_home(home))


def clear_settings_cache() -> None:
    """Forget loaded settings (after a home's ``platform.yml`` was written)."""
    _load.cache_clear()


def provided_sources(home: Path | str | None = None) -> tuple[str, ...]:
    """The source contracts this company sends (``sources.provided``; ``all`` = every contract)."""
    from ingestion.contracts import CONTRACTS

    declared = platform_settings(home).get("sources", {}).get("provided", "all")
    if declared == "all":
        return tuple(CONTRACTS)
    unknown = sorted(set(declared) - set(CONTRACTS))
    if unknown:
        raise ValueError(
            f"platform.yml sources.provided: unknown source(s) {unknown}; "
            f"allowed: {sorted(CONTRACTS)}"
        )
    missing = [s for s in REQUIRED_SOURCES if s not in declared]
    if missing:
        raise ValueError(
            f"platform.yml sources.provided: {missing} must be provided "
            f"(the minimal company sends {list(REQUIRED_SOURCES)})"
        )
    return tuple(s for s in CONTRACTS if s in declared)


def validate_company(settings: Any) -> dict[str, Any]:
    """Check the ``company`` section (name, currency, holiday_calendar) and return it.

    Raises a ValueError naming ``platform.yml``, the key and the allowed values, so a
    typo in a company's settings stops the run when they are read, not deep in a stage.
    """
    from babel.numbers import list_currencies

    from models_ml.calendars import HOLIDAY_CALENDARS

    if not isinstance(settings, dict):
        raise ValueError(f"platform.yml company: expected a mapping, got {settings!r}")
    name = settings.get("name", "")
    if not isinstance(name, str):
        raise ValueError(f"platform.yml company.name: expected text, got {name!r}")
    currency, currencies = settings.get("currency"), set(list_currencies())
    if not isinstance(currency, str) or currency not in currencies:
        hint = (
            f"; did you mean {currency.upper()!r}?"
            if isinstance(currency, str) and currency.upper() in currencies
            else ""
        )
        raise ValueError(
            f"platform.yml company.currency: unknown currency {currency!r}{hint}; allowed: an "
            f"ISO 4217 code ({len(currencies)} known to Babel, e.g. CNY, EUR, GBP, JPY, USD)"
        )
    calendar = settings.get("holiday_calendar")
    if not isinstance(calendar, str) or calendar not in HOLIDAY_CALENDARS:
        raise ValueError(
            f"platform.yml company.holiday_calendar: unknown calendar {calendar!r}; "
            f"allowed: {sorted(HOLIDAY_CALENDARS)}"
        )
    return settings


def company_settings(home: Path | str | None = None) -> dict[str, Any]:
    """The company's name, currency and calendar (``company`` section), validated."""
    return dict(validate_company(platform_settings(home).get("company", {})))


CONTRACT_SETTING_KEYS = {"channels": "channels", "customer_tiers": "customer_tiers"}
"""``company`` keys of platform.yml -> the contracts' allowed-set names."""


def contract_settings(home: Path | str | None = None):
    """The company's allowed sets (channels, customer tiers) and personal-data key for ingest.

    The key is ``SOP_PII_KEY`` (read when called, at run time); the demo company's home
    may run without it. Raises :class:`orchestration.personal_data.MissingKeyError` otherwise.
    """
    from ingestion.contracts import ContractSettings
    from orchestration.personal_data import personal_data_key

    company = company_settings(home)
    allowed = {}
    for key, setting in CONTRACT_SETTING_KEYS.items():
        values = company.get(key)
        if values is None:
            continue
        if isinstance(values, str) or not all(isinstance(v, str) and v.strip() for v in values):
            raise ValueError(
                f"platform.yml company.{key}: expected a list of names, got {values!r}"
            )
        allowed[setting] = tuple(v.strip() for v in values)
    return ContractSettings(allowed=allowed, personal_data_key=personal_data_key(_home(home)))


def company_dbt_vars(home: Path | str | None = None) -> dict[str, list[str]]:
    """dbt vars of the company: its customer tiers (lower-cased, as staging has them) and the
    tiers that are key accounts, for the tier test and ``is_key_account``."""
    company = company_settings(home)
    allowed = {
        setting: tuple(company[key])
        for key, setting in CONTRACT_SETTING_KEYS.items()
        if company.get(key) is not None
    }
    key_tiers = company.get("key_account_tiers", ["key"])
    if isinstance(key_tiers, str) or not all(isinstance(t, str) for t in key_tiers):
        raise ValueError(
            f"platform.yml company.key_account_tiers: expected a list of tiers, got {key_tiers!r}"
        )
    values = {"key_account_tiers": [t.strip().lower() for t in key_tiers]}
    if "customer_tiers" in allowed:
        values["customer_tiers"] = [t.lower() for t in allowed["customer_tiers"]]
    return values


def forecast_cycle_config(home: Path | str | None = None):
    """The forecasting cycle's settings (``forecast`` section, and the calendar named by
    ``company.holiday_calendar``): what ``make run`` and the bench use."""
    from models_ml import CycleConfig

    settings = platform_settings(home)["forecast"]
    company = company_settings(home)
    return CycleConfig(
        horizon=int(settings["horizon_months"]),
        seed=int(settings["seed"]),
        models=tuple(settings["models"]),
        ensemble_members=tuple(settings["ensemble_members"]),
        backtest_windows=int(settings["backtest_windows"]),
        backtest_refit=bool(settings.get("backtest_refit", True)),
        smooth_fallback=settings["smooth_fallback"],
        holiday_calendar=company["holiday_calendar"],
    )


def forecast_engine_settings(home: Path | str | None = None) -> dict[str, Any]:
    """Where the forecast's per-series work runs: ``engine`` (local or spark) and, for
    spark, ``master``, ``partitions``, ``driver_model``, ``staging_dir`` and ``conf`` of the
    ``spark`` section."""
    settings = platform_settings(home)
    spark = settings.get("spark") or {}
    return {
        "engine": settings["forecast"].get("engine", "local"),
        "master": spark.get("master", "local[2]"),
        "partitions": int(spark.get("partitions", 8)),
        "driver_model": bool(spark.get("driver_model", False)),
        "staging_dir": spark.get("staging_dir"),
        "conf": {
            k: str(v).lower() if isinstance(v, bool) else str(v)
            for k, v in (spark.get("conf") or {}).items()
        },
    }
