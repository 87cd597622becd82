"""Approval stage: record the scenario the S&OP meeting approved for a cycle (audit table).

``approval_job`` (one cycle partition, run config ``scenario``, ``approved_by``,
``note``) appends the approval to ``audit.plan_approvals`` through
:mod:`orchestration.approvals`, then rebuilds what reads it: the plan selection,
the performance marts, the cycle's retrospective and the BI publish.
"""

from datetime import date

import dagster as dg

from orchestration.approvals import ApprovalRefusedError, record_approval
from orchestration.failures import FAILURE_LINES
from orchestration.partitions import planning_cycles
from orchestration.resources import WAREHOUSE_POOL, Warehouse


class ApprovalConfig(dg.Config):
    """Which scenario is approved for the run's cycle partition, by whom and why."""

    scenario: str
    approved_by: str
    note: str = ""


@dg.asset(
    key=["audit", "plan_approvals"],
    group_name="planning",
    partitions_def=planning_cycles,
    pool=WAREHOUSE_POOL,
    kinds={"duckdb"},
    description="Append-only audit of plan approvals: cycle, scenario, who, when (UTC) and why. "
    "A materialization is one approval for its cycle; approving again adds a row.",
)
def plan_approvals(
    context: dg.AssetExecutionContext, config: ApprovalConfig, warehouse: Warehouse
) -> dg.MaterializeResult:
    cycle = date.fromisoformat(context.partition_key)
    with warehouse.connect() as conn:
        try:
            approval = record_approval(
                conn, cycle, config.scenario, config.approved_by, config.note
            )
        except ApprovalRefusedError as refused:
            raise dg.Failure(
                description=str(refused),
                metadata={FAILURE_LINES: dg.MetadataValue.json([str(refused)])},
                allow_retries=False,
            ) from None
    context.log.info(
        f"approved {approval.scenario} for {cycle:%Y-%m} by {approval.approved_by} "
        f"({approval.approval_id})"
    )
    return dg.MaterializeResult(
        metadata={
            "approval_id": approval.approval_id,
            "scenario": approval.scenario,
            "approved_by": approval.approved_by,
            "approved_at": approval.approved_at.isoformat(),
            "note": approval.note or "",
        }
    )


approval_assets = [plan_approvals]
