"""The cycle on the Spark engine (``local[2]``) gives the local engine's forecasts.

Same panel, products, drivers and seed; the panel goes from a real DuckDB
``marts.fct_demand_monthly`` to Spark as the forecast asset hands it over (a parquet
file in the staging folder), the per-series backtest runs per partition of series,
and every output frame must match the local run to 1e-9: with the pooled LightGBM
candidate fitted on the driver, and, by default without it, the local run without it.
"""

import dataclasses
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


def _spark_cycle(synthetic, settings, config=FAST_CONFIG):
    """The cycle on the Spark engine, its panel read from a real DuckDB mart."""
    panel, products, drivers = synthetic
    demand = panel.rename(columns={"demand_units": "ordered_units"})
    with duckdb.connect() as conn:
        conn.execute("create schema marts")
        conn.register("demand", demand)
        conn.execute("create table marts.fct_demand_monthly as select * from demand")
        panel_sdf, engine, rows = cycle_panel(conn, {"cycle_month": CYCLE.date()}, settings)
    assert rows == (panel["month"] <= CYCLE).sum()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run_cycle(panel_sdf, products, drivers, CYCLE, config, engine=engine)


def _assert_same_cycle(result, expected):
    mine, local = _frames(result), _frames(expected)
    for name, frame in mine.items():
        pdt.assert_frame_equal(frame, local[name], check_exact=False, rtol=1e-9, atol=1e-9)
    assert len(result.backtest) > 0 and result.backtest["model"].nunique() > 1
    assert result.summary.keys() == expected.summary.keys()
    for key, value in expected.summary.items():
        if isinstance(value, float):
            assert result.summary[key] == pytest.approx(value, rel=1e-9, abs=1e-12), key
        else:
            assert result.summary[key] == value, key
    assert result.coverage["coverage"] == pytest.approx(expected.coverage["coverage"])


SETTINGS = {"engine": "spark", "master": "local[2]", "partitions": 3, "conf": {}}


def test_spark_engine_matches_local(synthetic, cycle_result, spark):
    result = _spark_cycle(synthetic, {**SETTINGS, "driver_model": True})
    assert "LightGBM" in set(result.backtest["model"])
    _assert_same_cycle(result, cycle_result)


def test_spark_engine_leaves_the_pooled_driver_model_out_by_default(synthetic, cycle_result, spark):
    panel, products, drivers = synthetic
    result = _spark_cycle(synthetic, SETTINGS)
    assert "LightGBM" not in set(result.backtest["model"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        local = run_cycle(
            panel[panel["month"] <= CYCLE],
            products,
            drivers,
            CYCLE,
            dataclasses.replace(FAST_CONFIG, use_driver_model=False),
        )
    _assert_same_cycle(result, local)
    # middle-out spreads the nodes' forecasts: the driver candidate never reaches them
    for column in ("p10", "p50", "p90"):
        pdt.assert_series_equal(result.forecast[column], cycle_result.forecast[column])


def test_the_panel_reaches_spark_as_a_file_that_lives_as_long_as_the_engine(
    synthetic, spark, tmp_path
):
    """The driver never holds the panel: DuckDB writes it to ``spark.staging_dir`` and
    Spark reads it there; the file is removed with the engine."""
    import gc

    panel, _, _ = synthetic
    with duckdb.connect() as conn:
        conn.execute("create schema marts")
        conn.register("demand", panel.rename(columns={"demand_units": "ordered_units"}))
        conn.execute("create table marts.fct_demand_monthly as select * from demand")
        threads = conn.execute("select current_setting('threads')").fetchone()
        settings = {**SETTINGS, "staging_dir": str(tmp_path)}
        panel_sdf, engine, rows = cycle_panel(conn, {"cycle_month": CYCLE.date()}, settings)
        assert conn.execute("select current_setting('threads')").fetchone() == threads
    (folder,) = tmp_path.iterdir()
    assert (folder / "panel.parquet").exists()
    assert panel_sdf.count() == rows == (panel["month"] <= CYCLE).sum()
    del panel_sdf, engine
    gc.collect()
    assert not folder.exists()
