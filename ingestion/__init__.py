"""Ingestion: source contracts, landing-file loader, quarantine and load ledger.

Public API (no Dagster here; orchestration wraps it):

- ``ingestion.contracts``: ``CONTRACTS`` and the ``SourceContract`` declarations;
- ``ingestion.loader.load_source(conn, contract, landing_dir)`` and
  ``ingestion.loader.load_all(conn, landing_dir, sources=None)``;
- ``ingestion.errors``: ``LoadError``, ``ContractViolation``, ``MissingDependencyError``;
- ``ingestion.results``: ``SourceLoadResult`` (``.metadata()``), ``FileLoadResult``,
  ``LoadAllResult``;
- ``ingestion.schema``: raw and audit table DDL;
- ``ingestion.docs.contracts_markdown()``: the contracts as Markdown
  (``python -m ingestion.docs``).
"""
