"""Settings of the demo company simulator: what it sells, to whom, and which faults it injects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

FAULT_KINDS: tuple[str, ...] = (
    "duplicate_rows",
    "unknown_keys",
    "malformed_values",
    "negative_quantities",
    "renamed_column",
    "missing_column",
    "empty_file",
    "late_file",
)


@dataclass(frozen=True)
class FaultConfig:
    """Which faults to inject into the landing files; every fault is off by default.

    Each switch injects a small, fixed number of bad rows or files (see
    ``demo_company.faults``) and records them in the generation summary, so a
    test can check that the loader quarantines exactly those.
    """

    duplicate_rows: bool = False
    unknown_keys: bool = False
    malformed_values: bool = False
    negative_quantities: bool = False
    renamed_column: bool = False
    missing_column: bool = False
    empty_file: bool = False
    late_file: bool = False

    @classmethod
    def only(cls, *kinds: str) -> FaultConfig:
        """Build a config with exactly the named faults switched on."""
        unknown = set(kinds) - set(FAULT_KINDS)
        if unknown:
            raise ValueError(f"unknown fault kind(s): {sorted(unknown)}; known: {FAULT_KINDS}")
        return cls(**{k: True for k in kinds})

    @classmethod
    def all_on(cls) -> FaultConfig:
        """Build a config with every fault switched on."""
        return cls.only(*FAULT_KINDS)

    @property
    def enabled(self) -> tuple[str, ...]:
        """Names of the faults switched on, in a fixed order."""
        return tuple(k for k in FAULT_KINDS if getattr(self, k))


@dataclass(frozen=True)
class ProductionLine:
    """A production line (plant) and the product lines' SKUs it makes, by its code."""

    code: str


@dataclass(frozen=True)
class DemoConfig:
    """Everything that shapes the simulated company; same config gives byte-identical files.

    ``as_of`` is the export date: history is written up to the last complete
    month before it, then one daily file per day of the current month up to
    ``as_of`` minus one day. The library never reads the clock; callers pass
    ``date.today()`` when they want "now".
    """

    seed: int = 42
    start_month: str = "2023-01"
    as_of: date = date(2026, 11, 6)
    n_skus: int = 48
    n_product_lines: int = 4
    n_customers: int = 150
    mean_lines_per_order: float | None = None
    """Mean lines of a standard-tier order (key accounts order 1.5x, small ones 0.7x).
    ``None`` grows it with the catalogue, ``2.5 + n_skus / 40`` up to 14: one company's
    realistic basket. The benchmark fixes it, so that order lines grow in proportion to
    customers and SKUs, and rows per series stay the same at every scale."""
    regions: tuple[str, ...] = ("EAST", "SOUTH", "NORTH", "WEST")
    channels: tuple[str, ...] = ("distributor", "retail", "online")
    tiers: tuple[str, ...] = ("key", "standard", "small")
    production_lines: tuple[ProductionLine, ...] = (
        ProductionLine("PL1"),
        ProductionLine("PL2"),
    )
    hours_per_working_day: float = 16.0
    capacity_headroom: float = 1.12
    """Yearly capacity plan = headroom x last year's mean monthly demand of the line."""
    stock_cover_days: float = 18.0
    """Days of average demand the replenishment policy aims to hold per warehouse."""
    production_lead_days: int = 3
    late_payer_share: float = 0.15
    return_line_share: float = 0.06
    budget_uplift: float = 0.12
    """Ambition uplift of the annual budget over the prior year's run-rate."""
    sales_forecast_bias: float = 0.15
    """Mean optimism of the sales team's forecast workbooks (+15%)."""
    sales_forecast_horizon: int = 6
    launch_share: float = 0.15
    """Share of SKUs launched during the history (launch dates spread evenly over it)."""
    discontinue_share: float = 0.10
    """Share of SKUs discontinued during the history."""
    long_tail_share: float = 0.25
    """Share of SKUs that sell rarely (popularity x 0.08, lumpy quantities)."""
    ship_to_other_region_share: float = 0.0
    """Share of orders shipped to a region other than the customer's own. Above zero the
    order lines carry the optional ship-to ``region`` column (the default demo's do not)."""
    faults: FaultConfig = field(default_factory=FaultConfig)

    @classmethod
    def realistic(cls, n_skus: int = 1200, seed: int = 42, **overrides: Any) -> DemoConfig:
        """A company that behaves like real retail order lines rather than the tidy demo.

        Thousands of sparse sku x region x channel series: most SKUs sell rarely, a
        large share is launched or discontinued during the history (so many series
        are younger than 13 months at any cycle), small baskets, and a quarter of
        the orders ship to another region than the customer's. Used by
        ``python -m bench.evaluate --setting realistic``.
        """
        values: dict[str, Any] = dict(
            seed=seed,
            n_skus=n_skus,
            n_product_lines=8,
            n_customers=max(150, n_skus // 4),
            mean_lines_per_order=3.0,
            launch_share=0.45,
            discontinue_share=0.30,
            long_tail_share=0.6,
            ship_to_other_region_share=0.25,
        )
        values.update(overrides)
        return cls(**values)

    def __post_init__(self) -> None:
        if self.n_skus < self.n_product_lines or self.n_product_lines < 1:
            raise ValueError("need at least one SKU per product line")
        if self.n_customers < len(self.regions) * len(self.channels):
            raise ValueError("need at least one customer per region and channel")
        if self.mean_lines_per_order is not None and self.mean_lines_per_order < 1:
            raise ValueError("mean_lines_per_order must be at least 1")
        for name in (
            "launch_share",
            "discontinue_share",
            "long_tail_share",
            "ship_to_other_region_share",
        ):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in [0, 1]")
        if self.launch_share + self.discontinue_share > 1.0:
            raise ValueError("launch_share + discontinue_share must not exceed 1")
        start = date.fromisoformat(self.start_month + "-01")
        if start >= self.as_of:
            raise ValueError("start_month must be before as_of")

    @property
    def start_date(self) -> date:
        """First day of the history."""
        return date.fromisoformat(self.start_month + "-01")

    @property
    def warehouses(self) -> tuple[str, ...]:
        """One warehouse per region, ``WH-<REGION>``."""
        return tuple(f"WH-{r}" for r in self.regions)
