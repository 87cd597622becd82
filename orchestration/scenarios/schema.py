"""The typed schema of a scenario file (``$SOP_HOME/scenarios/<name>.yml``).

A scenario is a list of adjustments on top of a cycle's base plan. pydantic checks
the shape (unknown keys refused, numbers in range, one of the known adjustment
types); ``orchestration.scenarios.vocabulary`` then checks the values against the
warehouse (known regions, SKUs, production lines...). docs/SCENARIOS.md documents
every key with an example.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

NAME_PATTERN = re.compile(r"^[a-z0-9_]+$")
RESERVED_NAMES = ("base",)
MONTH_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class ScenarioError(ValueError):
    """A scenario file the platform cannot use: the file, the key and what is allowed."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MonthRange(_Strict):
    """Target months the adjustment applies to, both ends included (``YYYY-MM``)."""

    from_month: str | None = Field(default=None, alias="from")
    to_month: str | None = Field(default=None, alias="to")

    @field_validator("from_month", "to_month", mode="before")
    @classmethod
    def _month(cls, value: object) -> str | None:
        if value is None:
            return None
        if isinstance(value, date):
            return f"{value:%Y-%m}"
        text = str(value)
        if not MONTH_PATTERN.match(text):
            raise ValueError(f"{text!r} is not a month (YYYY-MM, e.g. 2026-03)")
        return text

    @model_validator(mode="after")
    def _ordered(self) -> MonthRange:
        if self.from_month and self.to_month and self.to_month < self.from_month:
            raise ValueError(f"'to' {self.to_month} is before 'from' {self.from_month}")
        return self

    def first_day(self, month: str | None) -> date | None:
        return None if month is None else date(int(month[:4]), int(month[5:]), 1)


class _Adjustment(_Strict):
    months: MonthRange | None = None


class _DemandSlice(_Adjustment):
    product_line: str | None = None
    region: str | None = None
    channel: str | None = None
    sku: str | None = None


class DemandAdjustment(_DemandSlice):
    """Consensus units x ``multiplier``, or + ``change_units`` a month spread over the slice."""

    type: Literal["demand"]
    multiplier: float | None = Field(default=None, ge=0)
    change_units: float | None = None

    @model_validator(mode="after")
    def _one_change(self) -> DemandAdjustment:
        if (self.multiplier is None) == (self.change_units is None):
            raise ValueError("give exactly one of 'multiplier' or 'change_units'")
        return self


class DemandQuantileAdjustment(_DemandSlice):
    """Plan the slice at the consensus P10 or P90 instead of P50."""

    type: Literal["demand_quantile"]
    quantile: Literal["p10", "p50", "p90"]


class PriceAdjustment(_DemandSlice):
    """Net price x (1 + ``change_pct``); volume x (1 + ``elasticity`` x ``change_pct``)."""

    type: Literal["price"]
    change_pct: float = Field(gt=-1)
    elasticity: float = 0.0


class DiscountAdjustment(_DemandSlice):
    """``change_points`` more discount off list price (0.02 = two points); optional elasticity."""

    type: Literal["discount"]
    change_points: float = Field(gt=-1, lt=1)
    elasticity: float = 0.0


class CapacityAdjustment(_Adjustment):
    """The production line's available units x ``multiplier`` (0.8 = a 20% cut)."""

    type: Literal["capacity"]
    production_line: str
    multiplier: float = Field(ge=0)


class SupplierAdjustment(_Strict):
    """Supplier lead time + ``lead_time_days`` and component cost x (1 + ``cost_change_pct``)."""

    type: Literal["supplier"]
    supplier_id: str | None = None
    component_id: str | None = None
    lead_time_days: int = 0
    cost_change_pct: float = Field(default=0.0, gt=-1)


class ServiceLevelAdjustment(_Strict):
    """The service-level target of an ABC class (all classes when ``abc_class`` is absent)."""

    type: Literal["service_level"]
    abc_class: str | None = None
    target: float = Field(gt=0.5, lt=1)


class PaymentTermsAdjustment(_Strict):
    """Customers of ``customer_tier`` (all when absent) pay ``days`` later (negative: earlier)."""

    type: Literal["payment_terms"]
    customer_tier: str | None = None
    days: int


Adjustment = Annotated[
    DemandAdjustment
    | DemandQuantileAdjustment
    | PriceAdjustment
    | DiscountAdjustment
    | CapacityAdjustment
    | SupplierAdjustment
    | ServiceLevelAdjustment
    | PaymentTermsAdjustment,
    Field(discriminator="type"),
]


ADJUSTMENT_TYPES: dict[str, type[BaseModel]] = {
    get_args(model.model_fields["type"].annotation)[0]: model
    for model in (
        DemandAdjustment,
        DemandQuantileAdjustment,
        PriceAdjustment,
        DiscountAdjustment,
        CapacityAdjustment,
        SupplierAdjustment,
        ServiceLevelAdjustment,
        PaymentTermsAdjustment,
    )
}
"""Adjustment type (the file's ``type:``) -> its schema."""


class ScenarioFile(_Strict):
    """One scenario: a description and its adjustments, applied in file order."""

    description: str = ""
    adjustments: list[Adjustment] = Field(min_length=1)


def check_name(name: str, file: str) -> str:
    """A scenario's name is its file stem: lower-case ``[a-z0-9_]+``, not ``base``."""
    if not NAME_PATTERN.match(name):
        raise ScenarioError(
            f"{file}: the scenario name {name!r} (the file name) must be lower-case "
            "letters, digits and '_'"
        )
    if name in RESERVED_NAMES:
        raise ScenarioError(f"{file}: 'base' is reserved for the untouched plan; rename the file")
    return name
