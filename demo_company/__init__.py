"""Demo company: a seeded simulator of a mid-size manufacturer, the platform's default source.

``generate(DemoConfig(...), landing_dir)`` writes every landing extract the
source contracts (``ingestion.contracts``) declare: masters, order lines,
shipments capped by simulated stock, returns, invoices, cash receipts,
inventory snapshots, production, capacity, GL actuals, budget, promotions
and the sales team's forecast workbooks. It writes only into a landing
folder it owns (see :mod:`demo_company.manifest`).
"""

from demo_company.config import FAULT_KINDS, DemoConfig, FaultConfig, ProductionLine
from demo_company.faults import InjectedFault
from demo_company.generator import GenerationSummary, deliver_late_files, generate, simulate
from demo_company.manifest import MANIFEST_NAME, ForeignLandingFilesError

__all__ = [
    "FAULT_KINDS",
    "MANIFEST_NAME",
    "DemoConfig",
    "FaultConfig",
    "ForeignLandingFilesError",
    "GenerationSummary",
    "InjectedFault",
    "ProductionLine",
    "deliver_late_files",
    "generate",
    "simulate",
]
