"""The forecast's engine from settings: the demand panel and the engine that runs its series.

``forecast.engine: local`` reads the panel into pandas and runs every series in
this process. ``spark`` hands the panel to Spark as a Spark DataFrame and runs the
per-series backtests there (:class:`models_ml.spark_engine.SparkEngine`);
``spark.master`` says where. The panel travels as a parquet file that DuckDB writes
(streaming, on one thread) into ``spark.staging_dir`` and Spark reads: the driver never
holds the panel. For a local master the system's temporary folder serves;
a remote cluster needs a folder both sides see (a shared mount), and without one the
panel goes DuckDB -> Arrow -> Spark through this process.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any

import duckdb

from ingestion.threads import one_thread
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
    engine = SparkEngine(spark, settings["partitions"], settings.get("driver_model", False))
    staging = settings.get("staging_dir") or (
        tempfile.gettempdir() if settings["master"].startswith("local") else None
    )
    if staging is None:
        arrow = conn.execute(sql_text(PANEL_QUERY), params).to_arrow_table()
        if arrow is None:  # DuckDB gives None only for a statement without a result set
            raise LookupError(f"{PANEL_QUERY} returned no result set")
        return spark.createDataFrame(arrow), engine, arrow.num_rows
    folder = Path(tempfile.mkdtemp(prefix="sop_cycle_panel_", dir=staging))
    weakref.finalize(engine, shutil.rmtree, folder, True)  # the file lives as long as the engine
    path = folder / "panel.parquet"
    rows = _copy_panel(conn, params, path)
    return spark.read.parquet(str(path)), engine, rows


def _copy_panel(conn: duckdb.DuckDBPyConnection, params: dict[str, Any], path: Path) -> int:
    """Write the panel to ``path`` (parquet) with one DuckDB thread; return its rows.

    One thread streams it with a third of the memory of the default's parallel writers
    (measured at 20k series: +28 MiB against +93 MiB, and 0.16 s against 0.23 s)."""
    target = str(path).replace("'", "''")
    with one_thread(conn):
        copied = conn.execute(
            # month as a date: a TIMESTAMP_NS column (a mart built from pandas) is a parquet
            # type Spark cannot read
            f"copy (select * replace (cast(month as date) as month) from "
            f"({sql_text(PANEL_QUERY)})) to '{target}' (format parquet)",
            params,
        ).fetchone()
    return int(copied[0]) if copied else 0
