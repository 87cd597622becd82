"""The cycle on the Spark engine (``local[2]``) gives the local engine's forecasts.

Same panel, products, drivers and seed; the panel goes from a real DuckDB
``marts.fct_demand_monthly`` to Spark as a Spark DataFrame (via Arrow, as the
forecast asset reads it), the per-series backtest runs per partition of series,
and every output frame must match the local run to 1e-9.
"""

import warnings

import duckdb
import pandas.testing as pdt
import pytest
from models_ml_settings import CYCLE, FAST_CONFIG

from models_ml.cycle import run_cycle
from models_ml.spark_engine import spark_session
from orchestration.forecast_engine import cycle_panel

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark():
    session = spark_session("local[2]", {"spark.sql.shuffle.partitions": "2"})
    yield session
    session.stop()


def _frames(result):
    return {
        "forecast": result.forecast,
        "backtest": result.backtest,
        "levels": result.levels,
        "hierarchy": result.hierarchy,
    }


def test_spark_engine_matches_local(synthetic, cycle_result, spark):
    panel, products, drivers = synthetic
    demand = panel.rename(columns={"demand_units": "ordered_units"})
    settings = {"engine": "spark", "master": "local[2]", "partitions": 3, "conf": {}}
    with duckdb.connect() as conn:
        conn.execute("create schema marts")
        conn.register("demand", demand)
        conn.execute("create table marts.fct_demand_monthly as select * from demand")
        panel_sdf, engine, rows = cycle_panel(conn, {"cycle_month": CYCLE.date()}, settings)
    assert rows == (panel["month"] <= CYCLE).sum()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = run_cycle(panel_sdf, products, drivers, CYCLE, FAST_CONFIG, engine=engine)
    local = _frames(cycle_result)
    for name, frame in _frames(result).items():
        pdt.assert_frame_equal(frame, local[name], check_exact=False, rtol=1e-9, atol=1e-9)
    assert len(result.backtest) > 0 and result.backtest["model"].nunique() > 1
    assert result.summary.keys() == cycle_result.summary.keys()
    for key, value in cycle_result.summary.items():
        if isinstance(value, float):
            assert result.summary[key] == pytest.approx(value, rel=1e-9, abs=1e-12), key
        else:
            assert result.summary[key] == value, key
    assert result.coverage["coverage"] == pytest.approx(cycle_result.coverage["coverage"])
