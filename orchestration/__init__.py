"""Dagster code location: wiring only. Business logic lives in the library packages."""
