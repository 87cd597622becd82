"""Monthly retrospective report: plotly figures and a self-contained HTML page.

Library code: takes DataFrames and paths as arguments, never reads the
environment or the warehouse, never imports Dagster. Entry points are in
``reports.retrospective``.
"""
