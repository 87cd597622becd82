"""Source contracts: the one declaration of every landing extract.

Each contract names the files of a source, its columns and types, its key and
grain, the references it must resolve and the row checks it must satisfy
(:mod:`ingestion.checks`: ranges, allowed sets, column comparisons, patterns,
either-or fields), all as data. From it are generated: the quarantine SQL
(:mod:`ingestion.validation`), the dbt sources YAML
(:mod:`ingestion.dbt_sources`), the freshness, volume and completeness suites
(:mod:`data_quality.suites`) and the reference in ``docs/SOURCE_CONTRACTS.md``
(:mod:`ingestion.docs`). The demo company writes files to these contracts.
Change a source here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from ingestion.checks import Check, Compare, NotNull, OneOf, Range, month_start

FileFormat = Literal["csv", "parquet", "xlsx"]
LoadMode = Literal["snapshot", "by_file"]
EventPeriod = Literal["day", "month"]


@dataclass(frozen=True)
class Column:
    """One contract column: name, DuckDB type, whether it may be empty, meaning.

    ``personal`` marks personal data and what ingest keeps of it: ``hash`` (only a
    keyed SHA-256 of the trimmed value, so records stay matchable and the clear
    value is never stored) or ``drop`` (nothing). The quarantine never shows it.
    """

    name: str
    type: str
    description: str
    required: bool = True
    personal: Literal["hash", "drop"] | None = None


@dataclass(frozen=True)
class Reference:
    """A reference: ``column`` must exist in ``source``'s ``target_column``.

    The target need not be a key (``product_line`` of ``products``). ``also``
    names further sources whose ``target_column`` counts as known too (a
    region known from customers or from order lines); ``extra_values`` are
    accepted without a target row (a promotion's region ``ALL``).
    """

    column: str
    source: str
    target_column: str
    also: tuple[str, ...] = ()
    extra_values: tuple[str, ...] = ()

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source, *self.also)


DEMO_PERSONAL_DATA_KEY = "sop-demo-company-key"
"""The key of the demo company, whose names are invented; a company sets its own."""


@dataclass(frozen=True)
class ContractSettings:
    """Company-specific values the contracts check against, passed in by the caller.

    ``allowed`` maps a :class:`~ingestion.checks.OneOf` ``setting`` name (e.g.
    ``channels``, ``customer_tiers``) to the company's values; a setting not
    given keeps the contract's declared default. Contracts never read
    configuration themselves.
    """

    allowed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    personal_data_key: str = DEMO_PERSONAL_DATA_KEY
    """Secret of the keyed hash of personal columns (the company's ``SOP_PII_KEY``)."""

    def allowed_values(self, check: OneOf) -> tuple[str, ...]:
        """The values ``check.column`` may take under these settings."""
        values = self.allowed.get(check.setting) if check.setting else None
        return tuple(check.values if values is None else values)


@dataclass(frozen=True)
class SourceContract:
    """Everything the platform promises about one source extract.

    ``event_period`` is ``month`` when the event date is a month's first day
    (the row covers the whole month: freshness counts from the month's end and
    there are no business days to check for completeness).
    """

    name: str
    area: str
    description: str
    file_glob: str
    format: FileFormat
    grain: str
    primary_key: tuple[str, ...]
    columns: tuple[Column, ...]
    references: tuple[Reference, ...] = ()
    checks: tuple[Check, ...] = ()
    load_mode: LoadMode = "by_file"
    event_date_column: str | None = None
    event_period: EventPeriod = "day"
    max_age_days: int | None = None
    depends_on: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        names = set(self.column_names)
        unknown = [
            (check.name, c) for check in self.checks for c in check.columns if c not in names
        ] + [(f"reference {r.column}", r.column) for r in self.references if r.column not in names]
        unknown += [("primary key", k) for k in self.primary_key if k not in names]
        if self.event_date_column and self.event_date_column not in names:
            unknown.append(("event date", self.event_date_column))
        if unknown:
            raise ValueError(f"contract {self.name}: unknown column(s) {unknown}")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def raw_table(self) -> str:
        return f"raw.{self.name}"

    @property
    def allowed(self) -> tuple[OneOf, ...]:
        """The allowed sets a company replaces in its settings (channels, tiers)."""
        return tuple(c for c in self.checks if isinstance(c, OneOf) and c.setting)


def _c(
    name: str,
    type_: str,
    description: str,
    required: bool = True,
    personal: Literal["hash", "drop"] | None = None,
) -> Column:
    return Column(
        name=name, type=type_, description=description, required=required, personal=personal
    )


CHANNELS = OneOf(
    "allowed_value",
    "channel",
    ("distributor", "retail", "online"),
    setting="channels",
    ignore_case=True,
)
"""Sales channels; a company declares its own (``company.channels`` in the platform settings)."""
CUSTOMER_TIERS = OneOf(
    "allowed_value",
    "tier",
    ("key", "standard", "small"),
    setting="customer_tiers",
    ignore_case=True,
)
"""Customer tiers; a company declares its own (``company.customer_tiers``)."""
KNOWN_PRODUCT_LINE = Reference("product_line", "products", "product_line")
KNOWN_REGION = Reference("region", "customers", "region", also=("order_lines",))
"""A region is known when a customer is based there or an order line ships there."""


PRODUCTS = SourceContract(
    name="products",
    area="masters",
    description="Product master: one row per SKU, full snapshot on every delivery.",
    file_glob="masters/products*.csv",
    format="csv",
    grain="one row per sku",
    primary_key=("sku",),
    load_mode="snapshot",
    max_age_days=35,
    columns=(
        _c("sku", "VARCHAR", "Stock-keeping unit code"),
        _c("product_name", "VARCHAR", "Product name"),
        _c("product_line", "VARCHAR", "Product line the SKU belongs to"),
        _c("brand", "VARCHAR", "Brand"),
        _c("list_price", "DECIMAL(18,2)", "List price per unit, CNY"),
        _c("standard_cost", "DECIMAL(18,2)", "Standard manufacturing cost per unit, CNY"),
        _c("launch_date", "DATE", "First date the SKU can be ordered"),
        _c("discontinue_date", "DATE", "Last date the SKU can be ordered (empty if active)", False),
        _c("production_line", "VARCHAR", "Production line that makes the SKU"),
        _c("supplier_lead_time_days", "INTEGER", "Replenishment lead time in days"),
    ),
    checks=(
        Range("price_positive", "list_price", minimum=0, exclusive_minimum=True),
        Range("cost_positive", "standard_cost", minimum=0, exclusive_minimum=True),
        Range("lead_time_non_negative", "supplier_lead_time_days", minimum=0),
    ),
)

CUSTOMERS = SourceContract(
    name="customers",
    area="masters",
    description="Customer master: one row per customer, full snapshot. Names and phones are personal data.",
    file_glob="masters/customers*.csv",
    format="csv",
    grain="one row per customer_id",
    primary_key=("customer_id",),
    load_mode="snapshot",
    max_age_days=35,
    columns=(
        _c("customer_id", "VARCHAR", "Customer code"),
        _c(
            "customer_name",
            "VARCHAR",
            "Customer name (personal data: kept only as a keyed hash, from ingest on)",
            personal="hash",
        ),
        _c(
            "contact_phone",
            "VARCHAR",
            "Contact phone (personal data: not kept at all)",
            False,
            personal="drop",
        ),
        _c("region", "VARCHAR", "Sales region"),
        _c(
            "channel",
            "VARCHAR",
            "Sales channel (allowed set: company.channels; demo: distributor, retail, online)",
        ),
        _c(
            "tier",
            "VARCHAR",
            "Customer tier (allowed set: company.customer_tiers; demo: key, standard, small)",
        ),
        _c("payment_terms_days", "INTEGER", "Agreed payment terms in days"),
    ),
    checks=(
        CHANNELS,
        CUSTOMER_TIERS,
        Range("terms_non_negative", "payment_terms_days", minimum=0),
    ),
)

BOM = SourceContract(
    name="bom",
    area="masters",
    description="Bill of materials: purchased components per SKU, with supplier terms.",
    file_glob="masters/bom*.csv",
    format="csv",
    grain="one row per sku and component_id",
    primary_key=("sku", "component_id"),
    load_mode="snapshot",
    max_age_days=35,
    depends_on=("products",),
    references=(Reference("sku", "products", "sku"),),
    columns=(
        _c("sku", "VARCHAR", "Finished SKU"),
        _c("component_id", "VARCHAR", "Purchased component code"),
        _c("component_name", "VARCHAR", "Component name"),
        _c("qty_per_unit", "DOUBLE", "Component units per finished unit"),
        _c("supplier_id", "VARCHAR", "Supplier code"),
        _c("supplier_lead_time_days", "INTEGER", "Supplier lead time in days"),
        _c("component_cost", "DECIMAL(18,4)", "Purchase cost per component unit, CNY"),
        _c("supplier_payment_terms_days", "INTEGER", "Days after receipt we pay the supplier"),
    ),
    checks=(
        Range("qty_positive", "qty_per_unit", minimum=0, exclusive_minimum=True),
        Range("cost_non_negative", "component_cost", minimum=0),
    ),
)

ORDER_LINES = SourceContract(
    name="order_lines",
    area="sales",
    description="Customer order lines as booked: the unconstrained demand.",
    file_glob="sales/order_lines/order_lines_*.csv",
    format="csv",
    grain="one row per order_id and line_number",
    primary_key=("order_id", "line_number"),
    event_date_column="order_date",
    max_age_days=3,
    depends_on=("products", "customers"),
    references=(
        Reference("customer_id", "customers", "customer_id"),
        Reference("sku", "products", "sku"),
    ),
    columns=(
        _c("order_id", "VARCHAR", "Order number"),
        _c("line_number", "INTEGER", "Line within the order"),
        _c("order_date", "DATE", "Date the order was booked"),
        _c("requested_date", "DATE", "Delivery date the customer asked for"),
        _c("customer_id", "VARCHAR", "Ordering customer"),
        _c("sku", "VARCHAR", "Ordered SKU"),
        _c("ordered_qty", "INTEGER", "Units ordered"),
        _c("list_price", "DECIMAL(18,2)", "List price per unit at order time, CNY"),
        _c("discount_pct", "DECIMAL(6,4)", "Discount off list price, 0..1"),
        _c("net_price", "DECIMAL(18,2)", "Net price per unit after discount, CNY"),
        _c(
            "region",
            "VARCHAR",
            "Ship-to region of the line (empty or absent: the customer's region)",
            False,
        ),
        _c(
            "channel",
            "VARCHAR",
            "Channel of the line (empty or absent: the customer's channel)",
            False,
        ),
    ),
    checks=(
        CHANNELS,
        Range(
            "qty_positive",
            "ordered_qty",
            minimum=0,
            exclusive_minimum=True,
            note=" (returns go to the returns extract)",
        ),
        Range("discount_range", "discount_pct", minimum=0, maximum=1, exclusive_maximum=True),
        Range("net_price_non_negative", "net_price", minimum=0),
        Compare("requested_after_order", "requested_date", ">=", "order_date"),
    ),
)

SHIPMENTS = SourceContract(
    name="shipments",
    area="sales",
    description="Shipment lines: what left the warehouse, capped by available stock.",
    file_glob="sales/shipments/shipments_*.csv",
    format="csv",
    grain="one row per shipment_id",
    primary_key=("shipment_id",),
    event_date_column="ship_date",
    max_age_days=3,
    depends_on=("products",),
    references=(Reference("sku", "products", "sku"),),
    columns=(
        _c("shipment_id", "VARCHAR", "Shipment line number"),
        _c("order_id", "VARCHAR", "Order shipped against"),
        _c("line_number", "INTEGER", "Order line shipped against"),
        _c("ship_date", "DATE", "Date shipped"),
        _c("sku", "VARCHAR", "Shipped SKU"),
        _c("warehouse_id", "VARCHAR", "Shipping warehouse"),
        _c("shipped_qty", "INTEGER", "Units shipped"),
    ),
    checks=(Range("qty_positive", "shipped_qty", minimum=0, exclusive_minimum=True),),
)

RETURNS = SourceContract(
    name="returns",
    area="sales",
    description="Customer returns, credited at the original net price.",
    file_glob="sales/returns/returns_*.csv",
    format="csv",
    grain="one row per return_id",
    primary_key=("return_id",),
    event_date_column="return_date",
    max_age_days=35,
    depends_on=("products", "customers"),
    references=(
        Reference("customer_id", "customers", "customer_id"),
        Reference("sku", "products", "sku"),
    ),
    columns=(
        _c("return_id", "VARCHAR", "Return number"),
        _c("order_id", "VARCHAR", "Original order"),
        _c("line_number", "INTEGER", "Original order line"),
        _c("return_date", "DATE", "Date the goods came back"),
        _c("customer_id", "VARCHAR", "Returning customer"),
        _c("sku", "VARCHAR", "Returned SKU"),
        _c("returned_qty", "INTEGER", "Units returned"),
        _c("credit_amount", "DECIMAL(18,2)", "Amount credited to the customer, CNY"),
        _c("reason", "VARCHAR", "Return reason", False),
    ),
    checks=(
        Range("qty_positive", "returned_qty", minimum=0, exclusive_minimum=True),
        Range("credit_non_negative", "credit_amount", minimum=0),
    ),
)

INVOICES = SourceContract(
    name="invoices",
    area="sales",
    description="Invoices raised for shipped goods.",
    file_glob="sales/invoices/invoices_*.csv",
    format="csv",
    grain="one row per invoice_id",
    primary_key=("invoice_id",),
    event_date_column="invoice_date",
    max_age_days=3,
    depends_on=("customers",),
    references=(Reference("customer_id", "customers", "customer_id"),),
    columns=(
        _c("invoice_id", "VARCHAR", "Invoice number"),
        _c("order_id", "VARCHAR", "Order invoiced"),
        _c("customer_id", "VARCHAR", "Invoiced customer"),
        _c("invoice_date", "DATE", "Invoice date"),
        _c("due_date", "DATE", "Payment due date"),
        _c("invoice_amount", "DECIMAL(18,2)", "Net amount invoiced, CNY"),
    ),
    checks=(
        Range("amount_non_negative", "invoice_amount", minimum=0),
        Compare("due_after_invoice", "due_date", ">=", "invoice_date"),
    ),
)

CASH_RECEIPTS = SourceContract(
    name="cash_receipts",
    area="sales",
    description="Cash received from customers against invoices.",
    file_glob="sales/cash_receipts/cash_receipts_*.csv",
    format="csv",
    grain="one row per receipt_id",
    primary_key=("receipt_id",),
    event_date_column="receipt_date",
    max_age_days=7,
    depends_on=("customers", "invoices"),
    references=(
        Reference("customer_id", "customers", "customer_id"),
        Reference("invoice_id", "invoices", "invoice_id"),
    ),
    columns=(
        _c("receipt_id", "VARCHAR", "Receipt number"),
        _c("invoice_id", "VARCHAR", "Invoice paid"),
        _c("customer_id", "VARCHAR", "Paying customer"),
        _c("receipt_date", "DATE", "Date the cash arrived"),
        _c("amount", "DECIMAL(18,2)", "Amount received, CNY"),
    ),
    checks=(Range("amount_positive", "amount", minimum=0, exclusive_minimum=True),),
)

INVENTORY_SNAPSHOTS = SourceContract(
    name="inventory_snapshots",
    area="inventory",
    description="On-hand stock by SKU and warehouse at the end of each snapshot date.",
    file_glob="inventory/snapshots/inventory_*.parquet",
    format="parquet",
    grain="one row per snapshot_date, sku and warehouse_id",
    primary_key=("snapshot_date", "sku", "warehouse_id"),
    event_date_column="snapshot_date",
    max_age_days=3,
    depends_on=("products",),
    references=(Reference("sku", "products", "sku"),),
    columns=(
        _c("snapshot_date", "DATE", "Date of the stock count (end of day)"),
        _c("sku", "VARCHAR", "SKU"),
        _c("warehouse_id", "VARCHAR", "Warehouse"),
        _c("on_hand_qty", "INTEGER", "Units on hand"),
    ),
    checks=(Range("on_hand_non_negative", "on_hand_qty", minimum=0),),
)

PRODUCTION_OUTPUT = SourceContract(
    name="production_output",
    area="inventory",
    description="Units produced per production line, SKU and day.",
    file_glob="inventory/production/production_*.parquet",
    format="parquet",
    grain="one row per production_date, production_line and sku",
    primary_key=("production_date", "production_line", "sku"),
    event_date_column="production_date",
    max_age_days=3,
    depends_on=("products",),
    references=(Reference("sku", "products", "sku"),),
    columns=(
        _c("production_date", "DATE", "Production date"),
        _c("production_line", "VARCHAR", "Production line"),
        _c("sku", "VARCHAR", "SKU produced"),
        _c("produced_qty", "INTEGER", "Good units produced"),
    ),
    checks=(Range("qty_non_negative", "produced_qty", minimum=0),),
)

CAPACITY = SourceContract(
    name="capacity",
    area="capacity",
    description="Available capacity per production line and month (planned and past).",
    file_glob="capacity/capacity*.csv",
    format="csv",
    grain="one row per month and production_line",
    primary_key=("month", "production_line"),
    load_mode="snapshot",
    max_age_days=35,
    columns=(
        _c("month", "DATE", "First day of the month"),
        _c("production_line", "VARCHAR", "Production line"),
        _c("available_hours", "DOUBLE", "Available machine hours"),
        _c("units_per_hour", "DOUBLE", "Standard output rate"),
        _c("available_units", "INTEGER", "Available output in units (hours x rate)"),
    ),
    checks=(
        Range("hours_non_negative", "available_hours", minimum=0),
        Range("units_non_negative", "available_units", minimum=0),
        month_start("month"),
    ),
)

GL_ACTUALS = SourceContract(
    name="gl_actuals",
    area="finance",
    description="Monthly general-ledger actuals by account (posted at month close).",
    file_glob="finance/gl/gl_actuals_*.csv",
    format="csv",
    grain="one row per month and account_code",
    primary_key=("month", "account_code"),
    event_date_column="month",
    event_period="month",
    max_age_days=40,
    columns=(
        _c("month", "DATE", "First day of the posting month"),
        _c("account_code", "VARCHAR", "GL account code"),
        _c("account_name", "VARCHAR", "GL account name"),
        _c("account_type", "VARCHAR", "revenue, cogs, freight or opex"),
        _c("amount", "DECIMAL(18,2)", "Posted amount, CNY (revenue positive, costs positive)"),
    ),
    checks=(
        month_start("month"),
        OneOf("account_type_known", "account_type", ("revenue", "cogs", "freight", "opex")),
    ),
)

BUDGET = SourceContract(
    name="budget",
    area="finance",
    description="Annual budget by month, product line and region (one file per budget year).",
    file_glob="finance/budget/budget_*.csv",
    format="csv",
    grain="one row per month, product_line and region",
    primary_key=("month", "product_line", "region"),
    depends_on=("products", "customers", "order_lines"),
    references=(KNOWN_PRODUCT_LINE, KNOWN_REGION),
    columns=(
        _c("month", "DATE", "First day of the budget month"),
        _c("product_line", "VARCHAR", "Product line"),
        _c("region", "VARCHAR", "Sales region (a customer's or an order line's region)"),
        _c("budget_units", "INTEGER", "Budgeted units"),
        _c("budget_revenue", "DECIMAL(18,2)", "Budgeted net revenue, CNY"),
        _c("budget_cogs", "DECIMAL(18,2)", "Budgeted COGS, CNY"),
        _c("budget_opex", "DECIMAL(18,2)", "Budgeted operating expense allocated, CNY"),
    ),
    checks=(
        month_start("month"),
        Range("units_non_negative", "budget_units", minimum=0),
    ),
)

PROMOTIONS = SourceContract(
    name="promotions",
    area="marketing",
    description="Promotion calendar: a SKU or a whole product line, in a region, for a date range.",
    file_glob="marketing/promotions*.csv",
    format="csv",
    grain="one row per promo_id",
    primary_key=("promo_id",),
    load_mode="snapshot",
    max_age_days=35,
    depends_on=("products", "customers", "order_lines"),
    references=(
        Reference("sku", "products", "sku"),
        KNOWN_PRODUCT_LINE,
        Reference("region", "customers", "region", also=("order_lines",), extra_values=("ALL",)),
    ),
    columns=(
        _c("promo_id", "VARCHAR", "Promotion code"),
        _c("promo_name", "VARCHAR", "Promotion name"),
        _c("sku", "VARCHAR", "Promoted SKU (empty when a whole product line is promoted)", False),
        _c(
            "product_line",
            "VARCHAR",
            "Promoted product line (empty when a single SKU is promoted)",
            False,
        ),
        _c("region", "VARCHAR", "Region (a customer's or an order line's region), or 'ALL'"),
        _c("start_date", "DATE", "First promotion day"),
        _c("end_date", "DATE", "Last promotion day"),
        _c("discount_depth", "DECIMAL(6,4)", "Extra discount off list price, 0..1"),
    ),
    checks=(
        Compare("dates_ordered", "end_date", ">=", "start_date"),
        Range("depth_range", "discount_depth", minimum=0, maximum=1, exclusive_maximum=True),
        NotNull("target_given", ("sku", "product_line")),
    ),
)

SALES_TEAM_FORECAST = SourceContract(
    name="sales_team_forecast",
    area="sales_input",
    description=(
        "The sales team's forecast workbooks: one .xlsx per region per planning month, "
        "named forecast_<REGION>_<YYYY-MM>.xlsx, sheet 'forecast', first column product_line and one "
        "column per target month (YYYY-MM) with units. Loaded normalised to one row per cell."
    ),
    file_glob="sales_input/forecast_*.xlsx",
    format="xlsx",
    grain="one row per region, planning_month, product_line and target_month",
    primary_key=("region", "planning_month", "product_line", "target_month"),
    event_date_column="planning_month",
    event_period="month",
    max_age_days=40,
    depends_on=("products", "customers", "order_lines"),
    references=(KNOWN_PRODUCT_LINE, KNOWN_REGION),
    columns=(
        _c(
            "region",
            "VARCHAR",
            "Submitting region (from the file name; a customer's or an order line's region)",
        ),
        _c(
            "planning_month",
            "DATE",
            "Planning cycle the submission belongs to (from the file name)",
        ),
        _c("product_line", "VARCHAR", "Product line"),
        _c("target_month", "DATE", "Month forecast (from the column header)"),
        _c("forecast_units", "INTEGER", "Units the region expects to sell"),
    ),
    checks=(
        Range("units_non_negative", "forecast_units", minimum=0),
        Compare("target_after_planning", "target_month", ">", "planning_month"),
    ),
)

CONTRACTS: dict[str, SourceContract] = {
    c.name: c
    for c in (
        PRODUCTS,
        CUSTOMERS,
        BOM,
        ORDER_LINES,
        SHIPMENTS,
        RETURNS,
        INVOICES,
        CASH_RECEIPTS,
        INVENTORY_SNAPSHOTS,
        PRODUCTION_OUTPUT,
        CAPACITY,
        GL_ACTUALS,
        BUDGET,
        PROMOTIONS,
        SALES_TEAM_FORECAST,
    )
}
