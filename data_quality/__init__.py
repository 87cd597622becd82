"""Data-quality suites (Great Expectations 1.x) and their runner; imports no Dagster.

Public API (import the submodules; ``great_expectations`` is imported only by
``suites``, ``results`` and ``runner`` because it takes seconds to load):

- ``data_quality.runner``: ``DataQualityContext``, ``validate_table``
- ``data_quality.catalog``: ``SUITES`` (suite name -> ``Suite``), ``get_suite``
- ``data_quality.suites``: ``Suite``, ``raw_suite`` (from a contract), ``build_suite``
- ``data_quality.persist``: ``persist_results``, ``persist_dbt_results``, ``ensure_dq_results``
- ``data_quality.dbt_results``: ``dbt_results`` (dbt's run_results.json as rows), ``with_samples``
- ``data_quality.outcome``: ``ValidationOutcome``, ``ExpectationOutcome``
- ``data_quality.severity``: ``severity_for`` and the one severity mapping
"""
