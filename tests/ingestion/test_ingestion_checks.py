"""Every kind of contract check (range, comparison, allowed set, pattern, either-or) quarantines
the rows that break it, on real files and a real DuckDB, and only those rows.

These are the rules Great Expectations used to re-check on the raw tables; the
quarantine is now their one enforcement, so each is exercised here.
"""

from __future__ import annotations

from ingestion_files import ORDER_LINES_HEADER, load_masters, order_line, write_csv

from ingestion.checks import Compare, NotNull, OneOf, Pattern, Range
from ingestion.contracts import CONTRACTS
from ingestion.loader import load_source

GL_HEADER = "month,account_code,account_name,account_type,amount"
PROMO_HEADER = "promo_id,promo_name,sku,product_line,region,start_date,end_date,discount_depth"


def _quarantined(conn, source: str) -> dict[int, tuple[str, str]]:
    rows = conn.execute(
        "select row_number, rule, reason from audit.quarantine where source = ? order by 1",
        [source],
    ).fetchall()
    return {row: (rule, reason) for row, rule, reason in rows}


def test_every_check_kind_is_declared_somewhere():
    kinds = {type(check) for c in CONTRACTS.values() for check in c.checks}
    assert kinds == {Range, Compare, OneOf, Pattern, NotNull}


def test_order_line_ranges_and_date_order(conn, landing):
    load_masters(conn, landing)
    write_csv(
        landing,
        "sales/order_lines/order_lines_2024-03.csv",
        ORDER_LINES_HEADER,
        *(order_line(f"SO-{i}", 1) for i in range(6)),
        "SO-7,1,2024-03-01,2024-12-31,C1,P1,5,10.00,1.0,9.00",
        "SO-8,1,2024-03-01,2024-12-31,C1,P1,5,10.00,-0.05,9.00",
        "SO-9,1,2024-03-01,2024-12-31,C1,P1,5,10.00,0.1,-1",
        "SO-10,1,2024-03-05,2024-03-01,C1,P1,5,10.00,0.1,9.00",
        "SO-11,1,2024-03-05,2024-03-05,C1,P1,5,10.00,0.0,9.00",
    )
    result = load_source(conn, CONTRACTS["order_lines"], landing)
    assert (result.rows_loaded, result.rows_quarantined) == (7, 4)
    rows = _quarantined(conn, "order_lines")
    assert rows[7] == ("discount_range", "discount_pct must be in [0, 1) (got discount_pct='1.0')")
    assert rows[8][0] == "discount_range"
    assert rows[9] == ("net_price_non_negative", "net_price must be >= 0 (got net_price='-1')")
    assert rows[10] == (
        "requested_after_order",
        "requested_date must not precede order_date "
        "(got requested_date='2024-03-01', order_date='2024-03-05')",
    )


def test_gl_month_pattern_and_fixed_allowed_set(conn, landing):
    write_csv(
        landing,
        "finance/gl/gl_actuals_2024-01.csv",
        GL_HEADER,
        "2024-01-01,4000,Sales,revenue,100",
        "2024-01-01,5000,COGS,cogs,60",
        "2024-01-01,5100,Freight,freight,5",
        "2024-01-01,6000,Opex,opex,7",
        "2024-01-15,5200,Mid-month,cogs,60",
        "2024-01-01,6100,Misc,other,5",
        "2024-01-01,4100,Sales,Revenue,5",
    )
    result = load_source(conn, CONTRACTS["gl_actuals"], landing)
    assert (result.rows_loaded, result.rows_quarantined) == (4, 3)
    rows = _quarantined(conn, "gl_actuals")
    assert rows[5] == (
        "month_start",
        "month must be the first day of a month (got month='2024-01-15')",
    )
    assert rows[6] == (
        "account_type_known",
        "account_type: 'other' is not in the allowed set (revenue, cogs, freight, opex)",
    )
    assert rows[7][0] == "account_type_known"  # a fixed set is case-sensitive


def test_promotion_either_or_target_date_order_and_depth(conn, landing):
    load_masters(conn, landing)
    write_csv(
        landing,
        "sales/order_lines/order_lines_2024-03.csv",
        ORDER_LINES_HEADER,
        order_line("SO-1", 1),
    )
    load_source(conn, CONTRACTS["order_lines"], landing)
    write_csv(
        landing,
        "marketing/promotions.csv",
        PROMO_HEADER,
        "PR1,Spring,P1,,EAST,2024-03-01,2024-03-10,0.1",
        "PR2,Garden,,Garden,ALL,2024-04-01,2024-04-10,0.2",
        "PR3,Home,,Home,WEST,2024-05-01,2024-05-01,0",
        "PR4,Nothing,,,EAST,2024-03-01,2024-03-10,0.1",
        "PR5,Backwards,P2,,EAST,2024-03-10,2024-03-01,0.1",
        "PR6,Free,P3,,EAST,2024-03-01,2024-03-10,1",
    )
    result = load_source(conn, CONTRACTS["promotions"], landing)
    assert (result.rows_loaded, result.rows_quarantined) == (3, 3)
    rows = _quarantined(conn, "promotions")
    assert rows[4] == (
        "target_given",
        "either sku or product_line must be given (got sku=empty, product_line=empty)",
    )
    assert rows[5] == (
        "dates_ordered",
        "end_date must not precede start_date (got end_date='2024-03-01', start_date='2024-03-10')",
    )
    assert rows[6] == ("depth_range", "discount_depth must be in [0, 1) (got discount_depth='1')")
