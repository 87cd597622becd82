"""The cycle's per-series work on Spark, partitioned by series.

The demand panel stays a Spark DataFrame. Its rows are split into partitions of
whole series (a hash of sku x region x channel) and every partition runs, through
``mapInPandas``, the same library functions the local engine runs on all
series at once: :func:`models_ml.panel.build_series_panel` (the zero-filled
history) and :func:`models_ml.cycle.series_backtest` (the statsforecast
rolling-origin backtest, by far the largest part of the cycle). Each series'
result depends on that series alone, so the forecasts equal the local engine's.

What stays on the driver: the zero-filled history, one array per series (one
collect of the panel, which the middle-out spread, the shares and the bottom
backtest read), the product line x region nodes and the levels above them, and
the reconciliation. The global LightGBM driver candidate is left out by default
(``driver_model=False``): it is one model pooled over all series, so it can
neither be split by series (that would be another model) nor run anywhere but
in one process, and its training frame (series x months x 24 features) is the
part of the driver that grows fastest with series. Under the default middle-out
reconciliation it is only a backtest candidate (the bottom forecast is spread
from the nodes), so without it the P10/P50/P90 are unchanged and only the
per-series backtest scores lose one candidate.

statsforecast's Fugue backend would run ``StatsForecast.cross_validation`` on a
Spark DataFrame too, but only statsforecast's own call: the cycle's fill of
missing folds, its refit split (:func:`models_ml.candidates.backtest_groups`) and
its classification would then be a second implementation beside the local one.
``mapInPandas`` runs the local code itself, and needs no package beyond pyspark.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from models_ml.classify import classify_demand, known_at
from models_ml.config import CycleConfig
from models_ml.panel import SERIES_KEYS, MonthLike, SeriesPanel, build_series_panel, month_index

if TYPE_CHECKING:  # pyspark is an optional extra: imported where a Spark run needs it
    from pyspark.sql import DataFrame as SparkDataFrame
    from pyspark.sql import SparkSession

HISTORY_SCHEMA = (
    "sku string, product_line string, region string, channel string, first_idx long, "
    "y array<double>"
)


def spark_session(
    master: str = "local[2]", conf: Mapping[str, object] | None = None
) -> SparkSession:
    """A Spark session for ``master``: ``local[N]``, ``spark://...``, ``yarn``, or a Spark
    Connect / Databricks Connect URL (``sc://host:port/;token=...``).

    For a local master the workers run this interpreter with this checkout on its path,
    so they import the same ``models_ml`` as the driver; a cluster's workers need the
    platform installed (same version) in their Python environment.
    """
    from pyspark.sql import SparkSession

    settings: dict[str, object] = {
        "spark.ui.enabled": "false",
        # results come back as Arrow batches, not one Python Row object per row
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        **(conf or {}),
    }
    if master.startswith("sc://"):
        builder = SparkSession.builder.remote(master)
    else:
        builder = SparkSession.builder.master(master)
        if master.startswith("local"):
            root = str(Path(__file__).resolve().parent.parent)
            path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
            os.environ["PYTHONPATH"] = path
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            settings.setdefault("spark.pyspark.python", os.environ["PYSPARK_PYTHON"])
            settings.setdefault("spark.executorEnv.PYTHONPATH", path)
            settings.setdefault("spark.driver.memory", "1g")
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def history_rows(rows: pd.DataFrame, cycle_month: MonthLike) -> pd.DataFrame:
    """The zero-filled history of a chunk of whole series: one row per series, y as an array."""
    series = build_series_panel(rows, cycle_month)
    keys = series.keys
    lengths = keys["n_months"].to_numpy()
    y = np.split(series.long["y"].to_numpy(), np.cumsum(lengths)[:-1]) if len(keys) else []
    return pd.DataFrame(
        {
            "sku": keys["sku"].to_numpy(),
            "product_line": keys["product_line"].to_numpy(),
            "region": keys["region"].to_numpy(),
            "channel": keys["channel"].to_numpy(),
            "first_idx": keys["first_idx"].to_numpy(dtype=np.int64),
            "y": y,
        }
    )


def backtest_rows(
    rows: pd.DataFrame,
    products: pd.DataFrame | None,
    cycle_month: MonthLike,
    config: CycleConfig,
) -> pd.DataFrame:
    """:func:`models_ml.cycle.series_backtest` of a chunk of whole series, keyed by series."""
    from models_ml.cycle import series_backtest

    series = build_series_panel(rows, cycle_month)
    classes = classify_demand(series, known_at(products, cycle_month), config)
    cv = series_backtest(series, classes, config)
    columns = [*SERIES_KEYS, "ds", "cutoff", "y", *config.models]
    if cv is None:
        return pd.DataFrame(columns=columns)
    keys = series.keys.set_index("unique_id")[SERIES_KEYS]
    cv = cv.join(keys, on="unique_id")
    return cv[columns]


def series_panel_from_history(history: pd.DataFrame, cycle_month: MonthLike) -> SeriesPanel:
    """The :class:`SeriesPanel` that ``build_series_panel`` gives on the whole panel."""
    cycle_idx = int(month_index(cycle_month)[0])
    history = history.sort_values(SERIES_KEYS, kind="stable").reset_index(drop=True)
    keys = history[SERIES_KEYS].copy()
    keys.insert(0, "unique_id", np.arange(len(keys), dtype=np.int64))
    keys.insert(2, "product_line", history["product_line"].to_numpy())
    keys["first_idx"] = history["first_idx"].to_numpy(dtype=np.int64)
    keys["n_months"] = cycle_idx - keys["first_idx"] + 1
    lengths = keys["n_months"].to_numpy()
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    ds = np.repeat(keys["first_idx"].to_numpy(), lengths) + (
        np.arange(lengths.sum()) - np.repeat(offsets, lengths)
    )
    y = (
        np.concatenate([np.asarray(v, dtype=float) for v in history["y"]])
        if len(history)
        else np.zeros(0)
    )
    long = pd.DataFrame(
        {"unique_id": np.repeat(keys["unique_id"].to_numpy(), lengths), "ds": ds, "y": y}
    )
    return SeriesPanel(keys=keys, long=long, cycle_idx=cycle_idx)


class SparkEngine:
    """The per-series work of :func:`models_ml.run_cycle` on Spark, in ``partitions``
    chunks of whole series.

    ``panel`` (the argument of ``run_cycle``) is a Spark DataFrame with the demand
    panel's columns (:data:`models_ml.panel.PANEL_COLUMNS`). ``driver_model`` fits the
    pooled LightGBM candidate on the driver as the local engine does (identical
    results, a driver that grows with series); off by default, see the module's notes.
    """

    def __init__(
        self, spark: SparkSession, partitions: int = 8, driver_model: bool = False
    ) -> None:
        self.spark = spark
        self.partitions = int(partitions)
        self.pooled_driver_model = driver_model

    def _per_chunk(
        self, panel: SparkDataFrame, work: Callable[[pd.DataFrame], pd.DataFrame], schema: str
    ) -> SparkDataFrame:
        """``work`` on each of ``partitions`` chunks of whole series (one task each).

        ``repartition(n, keys)`` puts every row of a series in one partition and keeps
        exactly n of them: a ``groupBy`` would leave the partition count to adaptive
        query execution, which merges a small panel's groups into one task (measured:
        8 buckets of 1,200 series ran as one task, on one core of ``local[2]``).
        """

        def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
            frames = list(batches)  # Arrow batches of one partition: whole series together
            if frames:
                yield work(pd.concat(frames, ignore_index=True))

        return panel.repartition(self.partitions, *SERIES_KEYS).mapInPandas(run, schema)

    def series_panel(self, panel: SparkDataFrame, cycle_month: MonthLike) -> SeriesPanel:
        """Zero-filled history built per chunk of series, collected once (one row per series)."""
        month = pd.Timestamp(cycle_month)

        def build(rows: pd.DataFrame) -> pd.DataFrame:
            return history_rows(rows, month)

        history = self._per_chunk(panel, build, HISTORY_SCHEMA).toPandas()
        return series_panel_from_history(history, month)

    def backtest(
        self,
        panel: SparkDataFrame,
        series: SeriesPanel,
        classes: pd.DataFrame,
        products: pd.DataFrame | None,
        cycle_month: MonthLike,
        config: CycleConfig,
    ) -> pd.DataFrame | None:
        """:func:`models_ml.cycle.series_backtest` per chunk of series; rows keyed like the local one's."""
        month = pd.Timestamp(cycle_month)
        task_config = dataclasses.replace(config, n_jobs=1)  # Spark's tasks are the parallelism
        schema = ", ".join(
            [
                *(f"{k} string" for k in SERIES_KEYS),
                "ds long, cutoff long, y double",
                *(f"`{m}` double" for m in config.models),
            ]
        )

        def run(rows: pd.DataFrame) -> pd.DataFrame:
            return backtest_rows(rows, products, month, task_config)

        cv = self._per_chunk(panel, run, schema).toPandas()
        if cv.empty:
            return None
        uid = series.keys.set_index(SERIES_KEYS)["unique_id"]
        cv.insert(0, "unique_id", uid.reindex(pd.MultiIndex.from_frame(cv[SERIES_KEYS])).to_numpy())
        cv = cv.drop(columns=SERIES_KEYS).astype({"unique_id": np.int64})
        cv = cv.sort_values(["unique_id", "cutoff", "ds"], kind="stable")
        return cv.reset_index(drop=True)
