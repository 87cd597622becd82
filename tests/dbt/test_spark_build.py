"""The staging models and the core marts build on Spark too (dbt-spark, session method).

The own company's landing is loaded by the DuckDB ingestion, its raw tables exported to
Parquet and registered as Spark tables of the raw schema (on-run-start, macro
register_raw_parquet); then ``dbt build`` runs the staging models, what the core marts
need and the core marts with their tests on a local Spark (``local[2]``), and the core
facts hold the same rows as the DuckDB build of the same raw data.
Needs Java and the ``spark`` extra (``pip install -e '.[spark]'``); skipped without them.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import dbt.adapters.spark  # noqa: F401  (the lock installs dbt-spark; make test-slow, Java 17)
import duckdb
import pyspark.sql
import pytest
from dbt_demo_build import DBT, DemoWarehouse, copy_project

from ingestion.loader import load_all
from tests.own_company import write_own_company

pytestmark = pytest.mark.spark

SELECTION = [
    "--select",
    "staging",
    "+path:models/marts/core",
    "--exclude",
    "path:models/staging/scenarios",  # written by the platform's scenario loader (DuckDB)
    "--indirect-selection",
    "cautious",
]
COMPARED = ["fct_order_lines", "dim_customer", "dim_product", "dim_region", "dim_channel"]
"""Core marts the own company fills (it sends no shipments or returns)."""


def _metastore_url(warehouse: Path) -> str:
    return f"jdbc:derby:;databaseName={warehouse / 'metastore_db'};create=true"


def _without_spark_chatter(output: str) -> str:
    """dbt's output without Spark's per-model session warnings (they hide the error)."""
    return "\n".join(line for line in output.splitlines() if " WARN SparkSession" not in line)


def _profiles(directory: Path, warehouse: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    conf = {
        "spark.master": "local[2]",
        "spark.driver.memory": "1g",
        "spark.sql.warehouse.dir": str(warehouse / "spark-warehouse"),
        "spark.sql.shuffle.partitions": "2",
        "spark.ui.enabled": "false",
        "spark.hadoop.javax.jdo.option.ConnectionURL": _metastore_url(warehouse),
    }
    (directory / "profiles.yml").write_text(
        json.dumps(
            {
                "sop": {
                    "target": "spark",
                    "outputs": {
                        "spark": {
                            "type": "spark",
                            "method": "session",
                            "host": "NA",
                            "schema": "main",
                            "threads": 1,
                            "server_side_parameters": conf,
                        }
                    },
                }
            }
        ),
        encoding="utf-8",
    )
    return directory


def _export_raw(home: Path, out: Path) -> list[str]:
    """Every raw table as a Parquet folder ``out/<table>``; the table names."""
    with duckdb.connect(str(home / "warehouse.duckdb")) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "select table_name from duckdb_tables() where schema_name = 'raw' order by 1"
            ).fetchall()
        ]
        for table in tables:
            (out / table).mkdir(parents=True)
            conn.execute(
                f"copy raw.\"{table}\" to '{out / table / 'part-0.parquet'}' (format parquet)"
            )
    return tables


def _rows(frame_rows: list[tuple]) -> list[tuple]:
    return sorted(tuple(str(v) for v in row) for row in frame_rows)


def test_staging_and_core_marts_build_on_spark(tmp_path: Path) -> None:
    home = tmp_path / "home"
    landing = home / "landing"
    write_own_company(landing)
    with duckdb.connect(str(home / "warehouse.duckdb")) as conn:
        assert not load_all(conn, landing).errors
    tables = _export_raw(home, tmp_path / "raw_parquet")
    demo = DemoWarehouse(
        home=home,
        landing_dir=landing,
        project_dir=copy_project(tmp_path / "dbt_project"),
        build_seconds=0.0,
        build_output="",
        run_results={},
    )
    spark_dir = tmp_path / "spark"
    env = {**demo.env(), "DBT_PROFILES_DIR": str(_profiles(tmp_path / "profiles", spark_dir))}
    variables = json.dumps(
        {
            "spark_raw_parquet": str(tmp_path / "raw_parquet"),
            "spark_raw_tables": tables,
            "provided_sources": ["products", "customers", "order_lines"],
        }
    )
    spark_dir.mkdir()
    proc = subprocess.run(
        [
            str(DBT),
            "build",
            *SELECTION,
            "--vars",
            variables,
            "--project-dir",
            str(demo.project_dir),
        ],
        cwd=spark_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert proc.returncode == 0, _without_spark_chatter(proc.stdout + proc.stderr)[-6000:]

    duck = subprocess.run(
        [
            str(DBT),
            "build",
            *SELECTION,
            "--vars",
            json.dumps({"provided_sources": ["products", "customers", "order_lines"]}),
        ],
        cwd=demo.project_dir,
        env=demo.env(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert duck.returncode == 0, (duck.stdout + duck.stderr)[-4000:]

    spark = (
        pyspark.sql.SparkSession.builder.master("local[1]")
        .config("spark.sql.warehouse.dir", str(spark_dir / "spark-warehouse"))
        .config("spark.hadoop.javax.jdo.option.ConnectionURL", _metastore_url(spark_dir))
        .enableHiveSupport()
        .getOrCreate()
    )
    try:
        with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
            for table in COMPARED:
                spark_rows = [tuple(r) for r in spark.sql(f"select * from marts.{table}").collect()]
                duck_rows = conn.execute(f"select * from marts.{table}").fetchall()
                assert len(spark_rows) == len(duck_rows) > 0, table
                assert _rows(spark_rows) == _rows(duck_rows), table
    finally:
        spark.stop()
