"""Plotly figures of the retrospective: pure functions from DataFrames to ``go.Figure``.

Each function takes the already-validated section frame and a ``Labels``
lookup, and returns a figure; none reads files or the warehouse.
"""
