"""Section arithmetic on hand-made frames with known answers."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from reports import prepare
from reports.contract import BUDGET_MEASURES

MONTH = date(2026, 3, 1)


def test_kpi_table_picks_the_month_in_display_order():
    """Change, gap and status are rpt_kpis' (its unit test); the report picks and orders."""
    kpis = pd.DataFrame(
        {
            "month": ["2026-02-01", "2026-03-01"] * 3,
            "kpi": ["dso"] * 2 + ["custom"] * 2 + ["forecast_accuracy"] * 2,
            "value": [60.0, 58.0, 1.0, 2.0, 0.81, 0.84],
        }
    )
    table = prepare.kpi_table(kpis, MONTH)
    assert list(table["kpi"]) == ["forecast_accuracy", "dso", "custom"]
    assert list(table["value"]) == [0.84, 58.0, 2.0]


def test_fva_month_picks_the_report_month_lags_one_to_three_in_order():
    """The averaging over like-for-like months is rpt_forecast_value_added's (its unit test
    rpt_forecast_value_added_averages_like_for_like_months); the report picks its month."""
    fva = pd.DataFrame(
        {
            "report_month": ["2026-03-01"] * 4 + ["2026-02-01"],
            "lag_months": [3, 1, 4, 2, 1],
            "months": [12, 12, 12, 12, 11],
            "fva_stat_vs_naive": [0.3, 0.1, 0.4, 0.2, 0.9],
        }
    )
    month = prepare.fva_month(fva, MONTH)
    assert list(month["lag_months"]) == [1, 2, 3]
    assert list(month["fva_stat_vs_naive"]) == [0.1, 0.2, 0.3]


def test_budget_summary_picks_the_month_in_display_order_and_requires_every_line():
    """The lines and their arithmetic come from rpt_budget_variance (its unit test); the
    report only picks the month, in display order, and refuses a month missing a line."""
    rows = [
        {"month": month, "measure": measure, "budget": 100.0, "actual": actual}
        for month, actual in (("2026-02-01", 1.0), ("2026-03-01", 2.0))
        for measure in reversed(BUDGET_MEASURES)
    ]
    frame = pd.DataFrame(rows).assign(
        variance=0.0, variance_pct=0.0, budget_ytd=0.0, actual_ytd=0.0, variance_ytd=0.0,
        variance_ytd_pct=0.0,
    )  # fmt: skip
    summary = prepare.budget_summary(frame, MONTH)
    assert list(summary.index) == list(BUDGET_MEASURES)
    assert (summary["actual"] == 2.0).all()
    assert prepare.budget_summary(frame, date(2026, 5, 1)).empty
    with pytest.raises(ValueError, match="operating_profit"):
        prepare.budget_summary(frame[frame["measure"] != "operating_profit"], MONTH)


def test_top_deviations_rank_by_absolute_variance_without_the_total():
    deviations = pd.DataFrame(
        {
            "month": ["2026-03-01"] * 4 + ["2026-02-01"],
            "level": ["total", "region", "region", "channel", "region"],
            "subject": ["All", "EAST", "WEST", "online", "NORTH"],
            "planned_revenue": [1000.0, 300.0, 300.0, 400.0, 300.0],
            "actual_revenue": [900.0, 250.0, 320.0, 330.0, 0.0],
            "revenue_variance": [-100.0, -50.0, 20.0, -70.0, -300.0],
        }
    )
    for effect in ("price_effect", "volume_effect", "mix_effect"):
        deviations[effect] = 0.0
    deviations["likely_cause"] = "none_evident"
    top = prepare.top_deviations(deviations, MONTH, top_n=2)
    assert list(top["subject"]) == ["online", "EAST"]
    assert list(top["revenue_variance"]) == [-70.0, -50.0]


def test_dq_latest_takes_each_checks_last_result_whenever_it_ran():
    """Checks run after the month they review: the latest result counts, whatever its date;
    a dbt build's own invocation row is not a check."""
    dq = pd.DataFrame(
        {
            "suite": ["s"] * 4 + ["dbt_warehouse"] * 3,
            "table": ["raw.t"] * 4 + ["fct_a", "fct_b", ""],
            "expectation": [
                "unique",
                "unique",
                "unique",
                "not_null",
                "not_null_a",
                "unique_b",
                "dbt build",
            ],
            "check_kind": ["gx"] * 4 + ["dbt_test", "dbt_test", "dbt_invocation"],
            "severity": ["critical"] * 7,
            "success": [False, True, False, True, True, False, False],
            "unexpected_count": [5, 0, 9, 0, 0, 2, 0],
            "evaluated_at": [
                "2026-03-10T01:00:00Z",
                "2026-03-31T23:00:00Z",
                "2026-04-01T00:30:00Z",  # after the month, and the latest: it counts
                "2026-03-02T00:00:00Z",
                "2026-04-02T00:00:00Z",
                "2026-04-02T00:00:00Z",
                "2026-04-02T00:00:00Z",
            ],
        }
    )
    latest = prepare.dq_latest(dq)
    assert len(latest) == 4
    suites = prepare.dq_by_suite(latest).set_index("suite")
    assert suites.loc[
        "s", ["tables", "checks", "passed", "failed", "failed_critical"]
    ].tolist() == [1, 2, 1, 1, 1]
    assert suites.loc["dbt_warehouse", ["tables", "checks", "passed", "failed"]].tolist() == [
        2,
        2,
        1,
        1,
    ]
    failed = prepare.dq_failed(latest)
    assert sorted(failed["expectation"]) == ["unique", "unique_b"]


def test_open_alerts_most_severe_first_and_only_open_ones_seen_by_the_cycle():
    alerts = pd.DataFrame(
        {
            "rule": ["a", "b", "c", "d"],
            "subject": ["x", "y", "z", "w"],
            "figures": [""] * 4,
            "owner": ["o"] * 4,
            "severity": ["low", "critical", "high", "critical"],
            "first_seen_cycle": ["2026-01-01", "2026-03-01", "2026-02-01", "2026-04-01"],
            "is_open": [True, True, True, True],
        }
    )
    alerts.loc[len(alerts)] = ["e", "v", "", "o", "critical", "2026-01-01", False]
    assert list(prepare.open_alerts(alerts, MONTH)["rule"]) == ["b", "c", "a"]
