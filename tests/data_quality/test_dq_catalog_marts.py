"""The mart suites read the columns the dbt models really have (no silent drift)."""

import re
from pathlib import Path

import pytest
import yaml

from data_quality.catalog import FCT_DEMAND_MONTHLY, FCT_ORDER_LINES, FORECAST

MARTS = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "marts"


def _documented_columns(area: str, model: str) -> set[str]:
    doc = yaml.safe_load((MARTS / area / f"{model}.yml").read_text(encoding="utf-8"))
    entry = next(m for m in doc["models"] if m["name"] == model)
    return {c["name"] for c in entry["columns"]}


@pytest.mark.parametrize(
    ("spec", "area"), [(FCT_ORDER_LINES, "core"), (FCT_DEMAND_MONTHLY, "demand")]
)
def test_mart_spec_columns_exist_in_the_dbt_model(spec, area):
    model = spec.table.split(".")[1]
    assert set(spec.columns) - _documented_columns(area, model) == set()


def test_forecast_spec_columns_are_read_from_ml_forecast_by_dbt():
    sql = (MARTS / "demand" / "fct_forecast.sql").read_text(encoding="utf-8")
    missing = [c for c in FORECAST.columns if not re.search(rf"\b{c}\b", sql)]
    assert missing == []


def test_month_dated_sources_count_freshness_from_the_month_end():
    from data_quality.catalog import SUITES
    from ingestion.contracts import CONTRACTS

    assert SUITES["raw_gl_actuals"].max_age_days == CONTRACTS["gl_actuals"].max_age_days + 31
    assert SUITES["raw_order_lines"].max_age_days == CONTRACTS["order_lines"].max_age_days
