"""Source contracts: the one declaration of every landing extract.

Each contract names the files of a source, its columns and types, its key and
grain, the references it must resolve and the row rules it must satisfy. The
demo company writes files to these contracts, the loader enforces them, dbt
staging reads the raw tables they produce, and the README prints them as the
"bring your own data" reference. Change a source here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

FileFormat = Literal["csv", "parquet", "xlsx"]
LoadMode = Literal["snapshot", "by_file"]


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


@dataclass(frozen=True)
class Allowed:
    """A closed set: ``column`` must be one of ``values`` (compared case-insensitively).

    ``setting`` names the set a company may replace (see :class:`ContractSettings`):
    the declared ``values`` are only the default.
    """

    column: str
    values: tuple[str, ...]
    setting: str


DEMO_PERSONAL_DATA_KEY = "sop-demo-company-key"
"""The key of the demo company, whose names are invented; a company sets its own."""


@dataclass(frozen=True)
class ContractSettings:
    """Company-specific values the contracts check against, passed in by the caller.

    ``allowed`` maps an :class:`Allowed` ``setting`` name (e.g. ``channels``,
    ``customer_tiers``) to the company's values; a setting not given keeps the
    contract's declared default. Contracts never read configuration themselves.
    """

    allowed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    personal_data_key: str = DEMO_PERSONAL_DATA_KEY
    """Secret of the keyed hash of personal columns (the company's ``SOP_PII_KEY``)."""

    def allowed_values(self, allowed: Allowed) -> tuple[str, ...]:
        """The values ``allowed.column`` may take under these settings."""
        values = self.allowed.get(allowed.setting)
        return tuple(allowed.values if values is None else values)


@dataclass(frozen=True)
class Rule:
    """A row rule: a SQL predicate over the typed columns that must hold."""

    name: str
    predicate: str
    message: str


@dataclass(frozen=True)
class SourceContract:
    """Everything the platform promises about one source extract."""

    name: str
    area: str
    description: str
    file_glob: str
    format: FileFormat
    grain: str
    primary_key: tuple[str, ...]
    columns: tuple[Column, ...]
    references: tuple[Reference, ...] = ()
    allowed: tuple[Allowed, ...] = ()
    rules: tuple[Rule, ...] = ()
    load_mode: LoadMode = "by_file"
    event_date_column: str | None = None
    max_age_days: int | None = None
    depends_on: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def raw_table(self) -> str:
        return f"raw.{self.name}"


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


CHANNELS = Allowed("channel", ("distributor", "retail", "online"), setting="channels")
"""Sales channels; a company declares its own (``company.channels`` in the platform settings)."""
CUSTOMER_TIERS = Allowed("tier", ("key", "standard", "small"), setting="customer_tiers")
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
    rules=(
        Rule("price_positive", "list_price > 0", "list_price must be > 0"),
        Rule("cost_positive", "standard_cost > 0", "standard_cost must be > 0"),
        Rule(
            "lead_time_non_negative",
            "supplier_lead_time_days >= 0",
            "supplier_lead_time_days must be >= 0",
        ),
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
    allowed=(CHANNELS, CUSTOMER_TIERS),
    rules=(
        Rule("terms_non_negative", "payment_terms_days >= 0", "payment_terms_days must be >= 0"),
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
    rules=(
        Rule("qty_positive", "qty_per_unit > 0", "qty_per_unit must be > 0"),
        Rule("cost_non_negative", "component_cost >= 0", "component_cost must be >= 0"),
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
    allowed=(CHANNELS,),
    rules=(
        Rule(
            "qty_positive",
            "ordered_qty > 0",
            "ordered_qty must be > 0 (returns go to the returns extract)",
        ),
        Rule(
            "discount_range",
            "discount_pct >= 0 and discount_pct < 1",
            "discount_pct must be in [0, 1)",
        ),
        Rule("net_price_non_negative", "net_price >= 0", "net_price must be >= 0"),
        Rule(
            "requested_after_order",
            "requested_date >= order_date",
            "requested_date must not precede order_date",
        ),
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
    rules=(Rule("qty_positive", "shipped_qty > 0", "shipped_qty must be > 0"),),
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
    rules=(
        Rule("qty_positive", "returned_qty > 0", "returned_qty must be > 0"),
        Rule("credit_non_negative", "credit_amount >= 0", "credit_amount must be >= 0"),
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
    rules=(
        Rule("amount_non_negative", "invoice_amount >= 0", "invoice_amount must be >= 0"),
        Rule(
            "due_after_invoice",
            "due_date >= invoice_date",
            "due_date must not precede invoice_date",
        ),
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
    rules=(Rule("amount_positive", "amount > 0", "amount must be > 0"),),
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
    rules=(Rule("on_hand_non_negative", "on_hand_qty >= 0", "on_hand_qty must be >= 0"),),
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
    rules=(Rule("qty_non_negative", "produced_qty >= 0", "produced_qty must be >= 0"),),
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
    rules=(
        Rule("hours_non_negative", "available_hours >= 0", "available_hours must be >= 0"),
        Rule("units_non_negative", "available_units >= 0", "available_units must be >= 0"),
        Rule("month_start", "day(month) = 1", "month must be the first day of a month"),
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
    max_age_days=40,
    columns=(
        _c("month", "DATE", "First day of the posting month"),
        _c("account_code", "VARCHAR", "GL account code"),
        _c("account_name", "VARCHAR", "GL account name"),
        _c("account_type", "VARCHAR", "revenue, cogs, freight or opex"),
        _c("amount", "DECIMAL(18,2)", "Posted amount, CNY (revenue positive, costs positive)"),
    ),
    rules=(
        Rule("month_start", "day(month) = 1", "month must be the first day of a month"),
        Rule(
            "account_type_known",
            "account_type in ('revenue', 'cogs', 'freight', 'opex')",
            "account_type must be revenue, cogs, freight or opex",
        ),
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
    rules=(
        Rule("month_start", "day(month) = 1", "month must be the first day of a month"),
        Rule("units_non_negative", "budget_units >= 0", "budget_units must be >= 0"),
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
    rules=(
        Rule("dates_ordered", "end_date >= start_date", "end_date must not precede start_date"),
        Rule(
            "depth_range",
            "discount_depth >= 0 and discount_depth < 1",
            "discount_depth must be in [0, 1)",
        ),
        Rule(
            "target_given",
            "sku is not null or product_line is not null",
            "either sku or product_line must be given",
        ),
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
    rules=(
        Rule("units_non_negative", "forecast_units >= 0", "forecast_units must be >= 0"),
        Rule(
            "target_after_planning",
            "target_month > planning_month",
            "target_month must be after planning_month",
        ),
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
