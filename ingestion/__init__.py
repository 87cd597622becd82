"""Ingestion: source contracts, landing-file loader, quarantine and load ledger."""
