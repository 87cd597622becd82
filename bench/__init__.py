"""The benchmark: speed, memory and how cost grows with the number of series, against the limits.

``make bench`` (``python -m bench.run``) generates the demo company at several
scales, runs every pipeline stage in a fresh subprocess (wall time and peak
memory of the process tree), runs the limits on the same data in the same run
(DuckDB's own ``read_csv``/``read_parquet`` for ingest, statsforecast's own
``StatsForecast`` for forecasting), fits the log-log slope of time against
series count and prints each target as PASS or MISS with the gap. Performance
is measured here, never asserted in tests.
"""
