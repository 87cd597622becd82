"""Contracts that fit real extracts: optional columns, company value sets, trimmed keys, spelling."""

from __future__ import annotations

import dataclasses
import json

import pytest
import xlsxwriter
from ingestion_files import (
    CUSTOMERS_HEADER,
    ORDER_LINES_HEADER,
    load_masters,
    order_line,
    scalar,
    write_csv,
)

from ingestion.contracts import CONTRACTS, Column, ContractSettings
from ingestion.errors import ContractViolation
from ingestion.loader import load_source

PRODUCTS = CONTRACTS["products"]
CUSTOMERS = CONTRACTS["customers"]
ORDER_LINES = CONTRACTS["order_lines"]
MARCH = "sales/order_lines/order_lines_2024-03.csv"


def _quarantine(conn, source):
    return conn.execute(
        "select row_number, rule, reason, raw_record from audit.quarantine where source = ? "
        "order by row_number",
        [source],
    ).fetchall()


def test_optional_column_absent_from_csv_loads_as_null(conn, landing):
    write_csv(
        landing,
        "masters/products.csv",
        "sku,product_name,product_line,brand,list_price,standard_cost,launch_date,"
        "production_line,supplier_lead_time_days",
        "P1,Widget,Home,Acme,10.00,6.00,2023-01-01,L1,14",
    )
    result = load_source(conn, PRODUCTS, landing)

    assert (result.rows_loaded, result.rows_quarantined) == (1, 0)
    assert conn.execute("select sku, discontinue_date from raw.products").fetchall() == [
        ("P1", None)
    ]
    assert result.files[0].message == "absent optional column(s) loaded as empty: discontinue_date"


def test_required_column_absent_still_rejects_the_file(conn, landing):
    write_csv(
        landing,
        "masters/products.csv",
        "sku,product_name,product_line,brand,list_price,standard_cost,discontinue_date,"
        "production_line,supplier_lead_time_days",
        "P1,Widget,Home,Acme,10.00,6.00,,L1,14",
    )
    with pytest.raises(ContractViolation, match=r"missing contract column\(s\): launch_date"):
        load_source(conn, PRODUCTS, landing)
    assert scalar(conn, "select count(*) from raw.products") == 0


def test_optional_column_absent_from_parquet_loads_as_null(conn, landing):
    load_masters(conn, landing)
    inventory = CONTRACTS["inventory_snapshots"]
    with_bin = dataclasses.replace(
        inventory, columns=(*inventory.columns, Column("bin", "VARCHAR", "Storage bin", False))
    )
    path = landing / "inventory/snapshots/inventory_2024-03-01.parquet"
    path.parent.mkdir(parents=True)
    conn.execute(
        f"copy (select date '2024-03-01' as snapshot_date, 'P1' as sku, 'WH1' as warehouse_id, "
        f"7 as on_hand_qty) to '{path}' (format parquet)"
    )
    result = load_source(conn, with_bin, landing)

    assert result.rows_loaded == 1
    assert conn.execute("select sku, on_hand_qty, bin from raw.inventory_snapshots").fetchall() == [
        ("P1", 7, None)
    ]


def test_order_line_ship_to_region_and_channel_load_and_channel_is_checked(conn, landing):
    load_masters(conn, landing)
    write_csv(
        landing,
        MARCH,
        ORDER_LINES_HEADER + ",region,channel",
        order_line("SO-1", 1) + ",Central,Online",
        order_line("SO-1", 2) + ",,",
        order_line("SO-1", 3) + ",WEST,wholesale",
    )
    result = load_source(conn, ORDER_LINES, landing)

    assert (result.rows_loaded, result.rows_quarantined) == (2, 1)
    assert conn.execute(
        "select line_number, region, channel from raw.order_lines order by 1"
    ).fetchall() == [(1, "Central", "Online"), (2, None, None)]
    [(row, rule, reason, _)] = _quarantine(conn, "order_lines")
    assert (row, rule) == (3, "allowed_value")
    assert reason == (
        "channel: 'wholesale' is not in the allowed set channels (distributor, retail, online)"
    )


def test_tier_and_channel_outside_the_allowed_sets_are_quarantined(conn, landing):
    write_csv(
        landing,
        "masters/customers.csv",
        CUSTOMERS_HEADER,
        "C1,Alpha,,EAST,retail,key,30",
        "C2,Beta,,EAST,Retail,Standard,30",
        "C3,Gamma,,EAST,retail,gold,30",
        "C4,Delta,,EAST,b2b,small,30",
    )
    load_source(conn, CUSTOMERS, landing)

    assert [
        r[0] for r in conn.execute("select customer_id from raw.customers order by 1").fetchall()
    ] == ["C1", "C2"]
    reasons = {row: (rule, reason) for row, rule, reason, _ in _quarantine(conn, "customers")}
    assert reasons == {
        3: (
            "allowed_value",
            "tier: 'gold' is not in the allowed set customer_tiers (key, standard, small)",
        ),
        4: (
            "allowed_value",
            "channel: 'b2b' is not in the allowed set channels (distributor, retail, online)",
        ),
    }


def test_allowed_sets_come_from_the_caller(conn, landing):
    write_csv(
        landing,
        "masters/customers.csv",
        CUSTOMERS_HEADER,
        "C1,Alpha,,EAST,b2b,gold,30",
        "C2,Beta,,EAST,retail,key,30",
    )
    settings = ContractSettings(
        allowed={"channels": ("b2b", "retail"), "customer_tiers": ("Gold", "Silver")}
    )
    load_source(conn, CUSTOMERS, landing, settings=settings)

    assert scalar(conn, "select string_agg(customer_id, ',') from raw.customers") == "C1"
    [(row, rule, reason, _)] = _quarantine(conn, "customers")
    assert (row, rule, reason) == (
        2,
        "allowed_value",
        "tier: 'key' is not in the allowed set customer_tiers (Gold, Silver)",
    )


def test_key_differing_only_by_blanks_is_a_duplicate(conn, landing):
    load_masters(conn, landing)
    write_csv(
        landing,
        MARCH,
        ORDER_LINES_HEADER,
        order_line("SO00002307", 1),
        order_line("SO00002307 ", 1),
        order_line(" SO00002308", 1, customer=" C2 "),
    )
    result = load_source(conn, ORDER_LINES, landing)

    assert (result.rows_loaded, result.rows_quarantined) == (2, 1)
    assert conn.execute(
        "select order_id, customer_id from raw.order_lines order by 1"
    ).fetchall() == [("SO00002307", "C1"), ("SO00002308", "C2")]
    [(row, rule, reason, raw)] = _quarantine(conn, "order_lines")
    assert (row, rule) == (2, "duplicate_key")
    assert reason.startswith(
        "duplicate key (order_id, line_number)=('SO00002307', 1), first seen in row 1"
    )
    assert json.loads(raw)["order_id"] == "SO00002307 "


def test_blank_required_text_is_empty(conn, landing):
    load_masters(conn, landing)
    write_csv(landing, MARCH, ORDER_LINES_HEADER, order_line("SO-1", 1, sku="   "))
    load_source(conn, ORDER_LINES, landing)
    [(_, rule, reason, _)] = _quarantine(conn, "order_lines")
    assert (rule, reason) == ("required", "sku: required value is empty")


def _budget(landing, *rows):
    write_csv(
        landing,
        "finance/budget/budget_2024.csv",
        "month,product_line,region,budget_units,budget_revenue,budget_cogs,budget_opex",
        *rows,
    )


def test_budget_regions_and_product_lines_must_be_known_as_delivered(conn, landing):
    load_masters(conn, landing)
    write_csv(
        landing, MARCH, ORDER_LINES_HEADER + ",region,channel", order_line("SO-1", 1) + ",Central,"
    )
    load_source(conn, ORDER_LINES, landing)
    _budget(
        landing,
        "2024-01-01,Home,EAST,10,100.00,60.00,5.00",
        "2024-01-01,Home,Central,10,100.00,60.00,5.00",
        "2024-01-01,Home,CENTRAL,10,100.00,60.00,5.00",
        "2024-01-01,Homeware,WEST,10,100.00,60.00,5.00",
    )
    load_source(conn, CONTRACTS["budget"], landing)

    assert conn.execute("select region from raw.budget order by 1").fetchall() == [
        ("Central",),
        ("EAST",),
    ]
    reasons = {row: reason for row, _, reason, _ in _quarantine(conn, "budget")}
    assert reasons == {
        3: "unknown region 'CENTRAL' (not in customers or order_lines)",
        4: "unknown product_line 'Homeware' (not in products)",
    }


def test_promotion_region_all_is_allowed_and_targets_must_exist(conn, landing):
    load_masters(conn, landing)
    write_csv(landing, MARCH, ORDER_LINES_HEADER, order_line("SO-1", 1))
    load_source(conn, ORDER_LINES, landing)
    write_csv(
        landing,
        "marketing/promotions.csv",
        "promo_id,promo_name,sku,product_line,region,start_date,end_date,discount_depth",
        "PR1,Spring,,Home,ALL,2024-03-01,2024-03-10,0.1",
        "PR2,Rakes,P3,,WEST,2024-03-01,2024-03-10,0.1",
        "PR3,Typo,,Gardn,ALL,2024-03-01,2024-03-10,0.1",
        "PR4,Nowhere,P9,,Mars,2024-03-01,2024-03-10,0.1",
    )
    load_source(conn, CONTRACTS["promotions"], landing)

    assert [
        r[0] for r in conn.execute("select promo_id from raw.promotions order by 1").fetchall()
    ] == ["PR1", "PR2"]
    reasons = {row: reason for row, _, reason, _ in _quarantine(conn, "promotions")}
    assert reasons == {
        3: "unknown product_line 'Gardn' (not in products)",
        4: "unknown sku 'P9' (not in products); unknown region 'Mars' (not in customers or order_lines or 'ALL')",
    }


def _write_workbook(path, header, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("forecast")
    for col, value in enumerate(header):
        sheet.write(0, col, value)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            sheet.write(r, col, value)
    book.close()


def test_workbook_product_line_typo_quarantines_only_that_row(conn, landing):
    load_masters(conn, landing)
    _write_workbook(
        landing / "sales_input/forecast_EAST_2024-05.xlsx",
        ["product_line", "2024-06", "2024-07"],
        [["Home", 10, 11], ["Gardn & Patio", 20, 21], ["Garden", 30, 31]],
    )
    result = load_source(conn, CONTRACTS["sales_team_forecast"], landing)

    assert (result.rows_loaded, result.rows_quarantined) == (4, 2)
    assert conn.execute(
        "select distinct product_line from raw.sales_team_forecast order by 1"
    ).fetchall() == [("Garden",), ("Home",)]
    quarantined = [
        (reason, json.loads(raw)["_cell"])
        for _, _, reason, raw in _quarantine(conn, "sales_team_forecast")
    ]
    assert sorted(quarantined) == [
        ("unknown product_line 'Gardn & Patio' (not in products) (cell B3)", "B3"),
        ("unknown product_line 'Gardn & Patio' (not in products) (cell C3)", "C3"),
    ]


def test_workbook_of_an_unknown_region_is_quarantined_with_its_reason(conn, landing):
    load_masters(conn, landing)
    _write_workbook(
        landing / "sales_input/forecast_Centrl_2024-05.xlsx",
        ["product_line", "2024-06"],
        [["Home", 10]],
    )
    result = load_source(conn, CONTRACTS["sales_team_forecast"], landing)
    assert (result.rows_loaded, result.rows_quarantined) == (0, 1)
    [(_, rule, reason, _)] = _quarantine(conn, "sales_team_forecast")
    assert (rule, reason) == (
        "reference",
        "unknown region 'Centrl' (not in customers or order_lines) (cell B2)",
    )
