"""Money-side invariants of the plan marts on the real build (see test_plans_build.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_plans_build import CYCLES, TOL, PlansBuild, _build

pytestmark = pytest.mark.xdist_group("dbt_demo")

GRAIN = ["cycle_month", "month", "product_line", "region"]


@pytest.fixture(scope="module")
def plans(demo_warehouse) -> PlansBuild:
    """The same build as test_plans_build (cached per process)."""
    build = _build(demo_warehouse)
    if build.returncode != 0:
        pytest.fail(f"plan build failed:\n{build.output[-6000:]}")
    return build


def test_revenue_equals_units_times_expected_net_price(plans: PlansBuild) -> None:
    demand = plans.frame(
        "select c.cycle_month, c.target_month as month, c.product_line, c.region, "
        "c.consensus_p10_units as u10, c.consensus_units as u50, c.consensus_p90_units as u90, "
        "p.expected_net_price as price, p.standard_cost as cost "
        "from marts.fct_consensus_forecast c join marts.mart_expected_net_prices p "
        "using (cycle_month, sku, region, channel)"
    )
    for q in ("10", "50", "90"):
        demand[f"revenue_p{q}"] = demand[f"u{q}"] * demand["price"]
        demand[f"cogs_p{q}"] = demand[f"u{q}"] * demand["cost"]
    expected = demand.groupby(GRAIN).sum(numeric_only=True).sort_index()
    plan = plans.frame("select * from marts.mart_financial_plan").set_index(GRAIN).sort_index()
    assert len(plan) == len(expected)
    np.testing.assert_allclose(plan["revenue_p50"], expected["revenue_p50"], rtol=1e-9)
    np.testing.assert_allclose(plan["cogs_p50"], expected["cogs_p50"], rtol=1e-9)
    summed = (plan["range_source"] == "sum_of_series").to_numpy()
    assert summed.any() and not summed.all(), "the fixture bands half of the cycles"
    for column in ("revenue_p10", "revenue_p90"):  # no level band: the series' range added up
        np.testing.assert_allclose(
            plan[column][summed], expected[column][summed], rtol=1e-9, err_msg=column
        )
    for q in ("10", "90"):  # a level band: one ratio to P50 for units, revenue and COGS
        band = plan[~summed & (plan["units_p50"] > 0)]
        ratio = band[f"units_p{q}"] / band["units_p50"]
        np.testing.assert_allclose(band[f"revenue_p{q}"], band["revenue_p50"] * ratio, rtol=1e-9)
        np.testing.assert_allclose(band[f"cogs_p{q}"], band["cogs_p50"] * ratio, rtol=1e-9)
    np.testing.assert_allclose(plan["units_p50"], expected["u50"], rtol=1e-9)
    np.testing.assert_allclose(plan["gross_margin_p50"], plan["revenue_p50"] - plan["cogs_p50"])


def test_expected_net_price_is_list_price_less_observed_discount(plans: PlansBuild) -> None:
    prices = plans.frame("select * from marts.mart_expected_net_prices")
    np.testing.assert_allclose(
        prices["expected_net_price"],
        prices["list_price"].astype(float) * (1 - prices["expected_discount_rate"]),
        rtol=1e-9,
    )
    assert prices["expected_discount_rate"].between(0, 1).all()


def test_p10_p50_p90_ordered_everywhere(plans: PlansBuild) -> None:
    consensus = plans.frame("select * from marts.fct_consensus_forecast")
    assert (consensus["consensus_p10_units"] <= consensus["consensus_units"] + TOL).all()
    assert (consensus["consensus_units"] <= consensus["consensus_p90_units"] + TOL).all()
    plan = plans.frame("select * from marts.mart_financial_plan")
    for measure in ("units", "revenue", "cogs", "gross_margin"):
        assert (plan[f"{measure}_p10"] <= plan[f"{measure}_p50"] + TOL).all(), measure
        assert (plan[f"{measure}_p50"] <= plan[f"{measure}_p90"] + TOL).all(), measure
    stock = "closing_inventory_value_at_p{}_demand"
    assert (plan[stock.format(10)] >= plan[stock.format(50)] - TOL).all()
    assert (plan[stock.format(50)] >= plan[stock.format(90)] - TOL).all()
    cash = plans.frame("select * from marts.mart_cash_flow_plan")
    assert (cash["collections_p10"] <= cash["collections_p50"] + TOL).all()
    assert (cash["collections_p50"] <= cash["collections_p90"] + TOL).all()
    gap = plans.frame("select * from marts.mart_budget_gap")
    assert (gap["plan_revenue_p10"] <= gap["plan_revenue_p50"] + TOL).all()
    assert (gap["ytd_revenue_p50"] <= gap["ytd_revenue_p90"] + TOL).all()


def test_inventory_value_at_p50_is_the_supply_plan_stock_at_standard_cost(
    plans: PlansBuild,
) -> None:
    supply = plans.frame(
        "select s.cycle_month, s.month, sum(greatest(s.closing_stock_units, 0) * d.standard_cost) "
        "as value from marts.mart_supply_plan s join marts.dim_product d using (sku) group by all"
    )
    plan = plans.frame(
        "select cycle_month, month, sum(closing_inventory_value_at_p50_demand) "
        "as value from marts.mart_financial_plan group by all"
    )
    merged = supply.merge(plan, on=["cycle_month", "month"])
    assert len(merged) == len(supply)
    np.testing.assert_allclose(merged["value_x"].astype(float), merged["value_y"], rtol=1e-9)


def test_collection_weights_sum_to_one_per_tier(plans: PlansBuild) -> None:
    profiles = plans.frame("select * from marts.mart_collection_profiles")
    totals = profiles.groupby(["cycle_month", "customer_tier"])["collection_weight"].sum()
    np.testing.assert_allclose(totals, 1.0, atol=1e-9)
    assert set(profiles["customer_tier"]) >= {"all"}


def test_cash_flow_reconciles_with_revenue_and_payment_delays(plans: PlansBuild) -> None:
    cash = plans.frame("select * from marts.mart_cash_flow_plan order by cycle_month, month")
    plan = plans.frame(
        "select cycle_month, month, sum(revenue_p50) as revenue "
        "from marts.mart_financial_plan group by all"
    )
    by_month = cash.merge(plan, on=["cycle_month", "month"], how="left").fillna({"revenue": 0.0})
    np.testing.assert_allclose(by_month["revenue_p50"], by_month["revenue"], rtol=1e-9, atol=1e-6)
    for _, cycle in cash.groupby("cycle_month"):
        for q in ("10", "50", "90"):
            assert cycle[f"collections_p{q}"].sum() == pytest.approx(
                cycle[f"revenue_p{q}"].sum(), rel=1e-9
            )
        # nothing is collected before it is invoiced
        assert (cycle["collections_p50"].cumsum() <= cycle["revenue_p50"].cumsum() + TOL).all()

    # recompute collections: revenue per region x channel, split by the trailing tier mix of
    # booked orders, shifted by each tier's collection lags
    revenue = plans.frame(
        "select c.cycle_month, c.target_month as month, c.region, c.channel, "
        "sum(c.consensus_units * p.expected_net_price) as revenue "
        "from marts.fct_consensus_forecast c join marts.mart_expected_net_prices p "
        "using (cycle_month, sku, region, channel) group by all"
    )
    orders = plans.frame(
        "select order_date, region, channel, tier, ordered_net_amount from marts.fct_order_lines"
    )
    profiles = plans.frame(
        "select cycle_month, customer_tier as tier, lag_months, "
        "collection_weight from marts.mart_collection_profiles"
    )
    expected = []
    for cycle in CYCLES:
        end = pd.Timestamp(cycle) + pd.offsets.MonthEnd(0)
        window = orders.loc[
            (orders["order_date"] <= end)
            & (orders["order_date"] > end - pd.DateOffset(months=12) + pd.offsets.MonthEnd(0))
        ]
        mix = window.groupby(["region", "channel", "tier"])["ordered_net_amount"].sum()
        mix = (mix / mix.groupby(["region", "channel"]).transform("sum")).rename("share")
        rows = revenue.loc[revenue["cycle_month"] == pd.Timestamp(cycle)].merge(
            mix.reset_index(), on=["region", "channel"]
        )
        rows = rows.merge(
            profiles.loc[profiles["cycle_month"] == pd.Timestamp(cycle)], on=["cycle_month", "tier"]
        )
        rows["collected"] = (
            rows["revenue"] * rows["share"].astype(float) * rows["collection_weight"]
        )
        rows["month"] = [
            m + pd.DateOffset(months=int(k))
            for m, k in zip(rows["month"], rows["lag_months"], strict=True)
        ]
        expected.append(rows.groupby(["cycle_month", "month"])["collected"].sum())
    expected_collections = pd.concat(expected)
    got = cash.set_index(["cycle_month", "month"])["collections_p50"]
    aligned = expected_collections.reindex(got.index).fillna(0.0)
    np.testing.assert_allclose(got, aligned, rtol=1e-6, atol=1e-6)


def test_payments_follow_production_and_supplier_terms(plans: PlansBuild) -> None:
    cash = plans.frame(
        "select cycle_month, month, component_payments from marts.mart_cash_flow_plan"
    )
    procurement = plans.frame(
        "select cycle_month, payment_month as month, "
        "sum(component_cost_amount) as paid "
        "from marts.mart_procurement_plan group by all"
    )
    merged = cash.merge(procurement, on=["cycle_month", "month"], how="left").fillna(0.0)
    np.testing.assert_allclose(merged["component_payments"], merged["paid"], rtol=1e-9)
    assert procurement["paid"].sum() == pytest.approx(cash["component_payments"].sum())


def test_budget_gap_is_plan_minus_budget_with_year_to_date(plans: PlansBuild) -> None:
    gap = plans.frame("select * from marts.mart_budget_gap order by all")
    assert len(gap) > 0
    np.testing.assert_allclose(
        gap["revenue_gap_p50"], gap["plan_revenue_p50"] - gap["budget_revenue"], atol=1e-6
    )
    keys = ["cycle_month", "product_line", "region", "budget_year"]
    last = gap.groupby(keys).tail(1).set_index(keys)
    budget = plans.frame(
        "select extract(year from month) as budget_year, product_line, region, "
        "month, budget_revenue from marts.fct_budget"
    )
    for (_cycle, line, region, year), row in last.iterrows():
        months = budget.loc[
            (budget["budget_year"] == year)
            & (budget["product_line"] == line)
            & (budget["region"] == region)
            & (budget["month"] <= row["month"])
        ]
        assert row["ytd_budget_revenue"] == pytest.approx(float(months["budget_revenue"].sum()))
