"""Ingest stage: one asset per source contract, landing files -> ``raw.<source>``.

Thin wrappers over :func:`ingestion.loader.load_source`; the contract, the
quarantine and the load ledger live in the ``ingestion`` package. A source the
company does not send (``sources.provided``, read at run time) loads nothing:
its raw table is created empty from the contract, so dbt's sources resolve.
Every load also records its rejected files as failed critical results in
``audit.dq_results`` (:mod:`data_quality.ingest_gate`), so later plans and
publishes refuse the stale warehouse until a load no longer rejects them.
"""

import datetime as dt

import dagster as dg

from data_quality.ingest_gate import record_ingest_results
from ingestion.contracts import CONTRACTS, SourceContract
from ingestion.errors import ContractViolation
from ingestion.loader import load_source
from ingestion.schema import ensure_audit_tables, ensure_raw_table
from orchestration.failures import FAILURE_LINES
from orchestration.personal_data import MissingKeyError
from orchestration.resources import WAREHOUSE_POOL, SopHome, Warehouse
from orchestration.settings import contract_settings
from orchestration.warehouse_io import one_row


def raw_asset_key(source: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", source])


def _build_ingest_asset(contract: SourceContract) -> dg.AssetsDefinition:
    @dg.asset(
        key=raw_asset_key(contract.name),
        group_name="sources",
        description=f"{contract.description} Grain: {contract.grain}. Files: {contract.file_glob}.",
        deps=[raw_asset_key(d) for d in contract.depends_on],
        pool=WAREHOUSE_POOL,
        kinds={"duckdb", contract.format},
        retry_policy=dg.RetryPolicy(max_retries=2, delay=5),
    )
    def _ingest(
        context: dg.AssetExecutionContext, sop_home: SopHome, warehouse: Warehouse
    ) -> dg.MaterializeResult:
        if contract.name not in sop_home.provided_sources:
            return _not_provided(context, contract, warehouse)
        try:
            settings = contract_settings(sop_home.root)
        except MissingKeyError as error:
            raise dg.Failure(description=str(error), allow_retries=False) from None
        with warehouse.connect() as conn:
            try:
                result = load_source(conn, contract, sop_home.landing_dir, settings=settings)
            except ContractViolation as violation:
                if violation.result is not None:
                    record_ingest_results(
                        conn,
                        contract.name,
                        violation.result.files,
                        context.run.run_id,
                        dt.datetime.now(),
                    )
                    context.log.info(
                        f"good files loaded before failing: {violation.result.metadata()}"
                    )
                raise dg.Failure(
                    description=str(violation),
                    metadata={
                        "rejected_files": dg.MetadataValue.json(violation.files),
                        FAILURE_LINES: dg.MetadataValue.json(
                            [f"{name} rejected: {why}" for name, why in violation.files.items()]
                        ),
                    },
                    allow_retries=False,
                ) from violation
            record_ingest_results(
                conn, contract.name, result.files, context.run.run_id, dt.datetime.now()
            )
            raw_rows = one_row(conn, f"select count(*) from {contract.raw_table}")[0]
        metadata = dict(result.metadata())
        metadata["dagster/row_count"] = raw_rows
        return dg.MaterializeResult(metadata=metadata)

    return _ingest


def _not_provided(
    context: dg.AssetExecutionContext, contract: SourceContract, warehouse: Warehouse
) -> dg.MaterializeResult:
    """An empty raw table from the contract; landing files of the source are left unread."""
    with warehouse.connect() as conn:
        ensure_audit_tables(conn)
        ensure_raw_table(conn, contract)
        raw_rows = one_row(conn, f"select count(*) from {contract.raw_table}")[0]
    context.log.info(f"source {contract.name!r} is not in sources.provided: nothing ingested")
    return dg.MaterializeResult(
        metadata={
            "provided": False,
            "note": f"not provided (sources.provided); {contract.raw_table} kept as it is, no files read",
            "dagster/row_count": raw_rows,
        }
    )


ingest_assets = [_build_ingest_asset(c) for c in CONTRACTS.values()]
