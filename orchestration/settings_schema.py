"""The typed schema of ``platform.yml``: every key, its type and its allowed values.

Checked once, when the settings are read, so a typo (``lang: english``, a
misspelt key, an unknown model) stops the command at its start with the file,
the key and what is allowed, not minutes later in the stage that reads it.
Unknown keys are refused: a misspelt key would otherwise be silently ignored.
pydantic (already a dependency of Dagster) does the checking and the wording.
"""

from __future__ import annotations

import re
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator


class SettingsError(ValueError):
    """A value of ``platform.yml`` that the platform cannot use (file, key, allowed values)."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Schedules(_Section):
    timezone: str
    daily_cron: str
    monthly_cron: str
    backfill_cycles: int = Field(ge=0)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown timezone {value!r} (an IANA name, e.g. Asia/Shanghai, Europe/Berlin, UTC)"
            ) from None
        return value

    @field_validator("daily_cron", "monthly_cron")
    @classmethod
    def _cron(cls, value: str) -> str:
        from dagster._utils.schedules import is_valid_cron_string

        if not is_valid_cron_string(value):
            raise ValueError(f"{value!r} is not a cron expression (5 fields, e.g. '30 2 * * *')")
        return value


class Planning(_Section):
    min_history_months: int = Field(ge=1, le=120)
    earliest_cycle: str

    @field_validator("earliest_cycle")
    @classmethod
    def _month(cls, value: str) -> str:
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", str(value)):
            raise ValueError(f"{value!r} is not a month YYYY-MM")
        return value


class Forecast(_Section):
    model_config = ConfigDict(extra="allow")  # the forecasting library may add its own knobs
    horizon_months: int = Field(ge=1, le=36)
    seed: int
    models: list[str]
    ensemble_members: list[str]
    backtest_windows: int = Field(ge=1, le=12)
    backtest_refit: bool = True
    smooth_fallback: str
    engine: Literal["local", "spark"] = "local"

    @model_validator(mode="after")
    def _known_models(self) -> Forecast:
        from models_ml.candidates import MODEL_NAMES

        for key, names in (
            ("models", self.models),
            ("ensemble_members", self.ensemble_members),
            ("smooth_fallback", [self.smooth_fallback]),
        ):
            unknown = [n for n in names if n not in MODEL_NAMES]
            if unknown:
                raise ValueError(f"{key}: unknown model(s) {unknown}; allowed: {list(MODEL_NAMES)}")
        return self


class Spark(_Section):
    master: str = "local[2]"
    partitions: int = Field(default=8, ge=1, le=100_000)
    driver_model: bool = False
    staging_dir: str | None = None
    conf: dict[str, str | int | float | bool] = {}

    @field_validator("master")
    @classmethod
    def _master(cls, value: str) -> str:
        if not re.match(r"(local(\[(\d+|\*)(,\d+)?\])?|spark://.+|sc://.+|yarn|k8s://.+)$", value):
            raise ValueError(
                f"{value!r} is not a Spark master (local[2], spark://host:7077, yarn, k8s://..., "
                "or a Spark Connect URL sc://host:15002)"
            )
        return value


class Company(_Section):
    name: str = ""
    currency: str
    holiday_calendar: str
    channels: list[str] | None = None
    customer_tiers: list[str] | None = None
    key_account_tiers: list[str] = ["key"]

    @model_validator(mode="before")
    @classmethod
    def _company(cls, values: Any) -> Any:
        from orchestration.settings import validate_company

        return validate_company(values)


class Sources(_Section):
    provided: Literal["all"] | list[str] = "all"

    @field_validator("provided")
    @classmethod
    def _known_sources(cls, value: Any) -> Any:
        from ingestion.contracts import CONTRACTS
        from orchestration.settings import REQUIRED_SOURCES

        if value == "all":
            return value
        unknown = sorted(set(value) - set(CONTRACTS))
        if unknown:
            raise ValueError(f"unknown source(s) {unknown}; allowed: {sorted(CONTRACTS)}")
        missing = [s for s in REQUIRED_SOURCES if s not in value]
        if missing:
            raise ValueError(
                f"{missing} must be provided (the minimal company sends {list(REQUIRED_SOURCES)})"
            )
        return value


class SalesInput(_Section):
    template_months: int = Field(ge=1, le=18)


class Report(_Section):
    lang: Literal["zh", "en"]


class PlatformSettings(_Section):
    schedules: Schedules
    planning: Planning
    forecast: Forecast
    company: Company
    sources: Sources = Sources()
    spark: Spark = Spark()
    sales_input: SalesInput
    report: Report


def _key_path(location: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in location if not isinstance(part, int)) or "(top level)"


def check_settings(
    settings: dict[str, Any], own: dict[str, Any], own_file: str, default_file: str
) -> None:
    """Raise :class:`SettingsError` naming the file that set the bad key, the key and the rule."""
    try:
        PlatformSettings.model_validate(settings)
    except ValidationError as error:
        problem = error.errors()[0]
        location = tuple(problem["loc"])
        node: Any = own
        for part in location:
            node = node.get(part) if isinstance(node, dict) else None
        source = (
            own_file
            if node is not None or (location and location[0] in own and len(location) == 1)
            else default_file
        )
        key, message = _key_path(location), problem["msg"].removeprefix("Value error, ")
        if message.startswith("platform.yml "):  # validate_company names the key itself
            key, message = message.removeprefix("platform.yml ").split(": ", 1)
        if problem["type"] == "extra_forbidden":
            message = "unknown key (misspelt?)"
        raise SettingsError(f"{source}: {key}: {message}") from None
