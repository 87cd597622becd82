"""The forecast's engine from settings: the demand panel and the engine that runs its series.

``forecast.engine: local`` reads the panel into pandas and runs every series in
this process. ``spark`` hands the panel to Spark as a Spark DataFrame (DuckDB ->
Arrow -> Spark, never a pandas copy) and runs the per-series backtests there
(:class:`models_ml.spark_engine.SparkEngine`); ``spark.master`` says where.
"""

from __future__ import annotations

from typing import Any

import duckdb

from orchestration.settings import forecast_engine_settings
from orchestration.warehouse_io import query, sql_text

PANEL_QUERY = "cycle_demand_panel"


def cycle_panel(
    conn: duckdb.DuckDBPyConnection, params: dict[str, Any], settings: dict[str, Any] | None = None
) -> tuple[Any, Any, int]:
    """(panel, engine, rows) of a cycle for :func:`models_ml.run_cycle`; engine None = local."""
    settings = settings or forecast_engine_settings()
    if settings["engine"] != "spark":
        panel = query(conn, PANEL_QUERY, params)
        return panel, None, len(panel)
    from models_ml.spark_engine import SparkEngine, spark_session

    spark = spark_session(settings["master"], settings["conf"])
    arrow = conn.execute(sql_text(PANEL_QUERY), params).to_arrow_table()
    if arrow is None:  # DuckDB gives None only for a statement without a result set
        raise LookupError(f"{PANEL_QUERY} returned no result set")
    return (
        spark.createDataFrame(arrow),
        SparkEngine(spark, settings["partitions"], settings.get("driver_model", False)),
        arrow.num_rows,
    )
