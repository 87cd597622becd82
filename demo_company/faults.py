"""Fault injection: a small, fixed, recorded set of bad rows and bad files.

Targets are chosen deterministically from the list of files to write, so
the same config always breaks the same rows. Row numbers are 1-based data
rows of the file as written (the header is not counted).

=====================  =========================  ===========================================
fault                  where                      what
=====================  =========================  ===========================================
duplicate_rows         order_lines, last month    last 3 rows appended again (rows n+1..n+3)
unknown_keys           order_lines, month -2      rows 2, 8: unknown customer_id; row 5: sku
malformed_values       order_lines, month -3      rows 3, 6: bad numbers; rows 9, 12: dates
negative_quantities    order_lines, month -4      rows 4, 7, 10: ordered_qty negated
renamed_column         shipments, last month      shipped_qty renamed to qty_shipped
missing_column         invoices, last month       due_date dropped
empty_file             returns, last file         written as zero bytes
late_file              order_lines, first daily   withheld; ``deliver_late_files`` writes it
                       file with rows (else the
                       last cash_receipts file)
=====================  =========================  ===========================================
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from demo_company.config import FaultConfig
from demo_company.writer import Output

UNKNOWN_CUSTOMER = "C99999"
UNKNOWN_SKU = "SKU-9999"


@dataclass(frozen=True)
class InjectedFault:
    """One injected fault: kind, source, file under landing, data row and column if any."""

    kind: str
    source: str
    file: str
    row_number: int | None
    column: str | None
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _history_files(outputs: list[Output], source: str) -> list[Output]:
    """Monthly history files of a source (label ``YYYY-MM``) with enough rows to break."""
    return [
        o
        for o in outputs
        if o.source == source
        and len(o.relpath.rsplit("_", 1)[-1]) == len("2024-01.csv")
        and o.n_rows >= 12
    ]


def _daily_files(outputs: list[Output], source: str) -> list[Output]:
    return [
        o
        for o in outputs
        if o.source == source and len(o.relpath.rsplit("_", 1)[-1]) == len("2024-01-01.csv")
    ]


class FaultPlan:
    """Which file each enabled fault hits, and how to apply it when the file is rendered.

    Built from all outputs at once, or group by group with :meth:`add` (each source's files
    in one group, order lines before cash receipts): both give the same plan, so a writer
    can build, break and write one source's files at a time.
    """

    def __init__(self, faults: FaultConfig, outputs: Sequence[Output] = ()):
        self.faults = faults
        self.targets: dict[str, list[str]] = {}
        self.late_file: str | None = None
        self._seen: set[str] = set()
        self.add(list(outputs))

    def add(self, outputs: list[Output]) -> None:
        """Plan the faults of these outputs: every file of the sources they hold."""
        faults = self.faults
        sources = {o.source for o in outputs}
        self._seen |= sources

        def pick(files: list[Output], back: int) -> str | None:
            return files[-min(back, len(files))].relpath if files else None

        history = _history_files(outputs, "order_lines")
        plan: dict[str, str | None] = {}
        if "order_lines" in sources:
            plan |= {
                "duplicate_rows": pick(history, 1),
                "unknown_keys": pick(history, 2),
                "malformed_values": pick(history, 3),
                "negative_quantities": pick(history, 4),
            }
        if "shipments" in sources:
            plan["renamed_column"] = pick(_history_files(outputs, "shipments"), 1)
        if "invoices" in sources:
            plan["missing_column"] = pick(_history_files(outputs, "invoices"), 1)
        if "returns" in sources:
            plan["empty_file"] = pick([o for o in outputs if o.source == "returns" and o.n_rows], 1)
        for kind, path in plan.items():
            if getattr(faults, kind) and path is not None:
                self.targets.setdefault(path, []).append(kind)
        if faults.late_file and self.late_file is None:
            daily = [o for o in _daily_files(outputs, "order_lines")[:-1] if o.n_rows]
            receipts = [o for o in outputs if o.source == "cash_receipts" and o.n_rows]
            if daily:
                self.late_file = daily[0].relpath
            elif receipts and "order_lines" in self._seen:
                self.late_file = receipts[-1].relpath

    def apply(
        self, out: Output, text: pd.DataFrame
    ) -> tuple[pd.DataFrame | None, list[InjectedFault]]:
        """Break the rendered rows of ``out`` as planned; ``None`` means a zero-byte file."""
        injected: list[InjectedFault] = []

        def note(kind: str, row: int | None, column: str | None, detail: str) -> None:
            injected.append(InjectedFault(kind, out.source, out.relpath, row, column, detail))

        kinds = self.targets.get(out.relpath, [])
        if not kinds:
            return text, injected
        text = text.astype(str)
        n = len(text)
        if "unknown_keys" in kinds:
            for row, col, value in (
                (2, "customer_id", UNKNOWN_CUSTOMER),
                (5, "sku", UNKNOWN_SKU),
                (8, "customer_id", UNKNOWN_CUSTOMER),
            ):
                text.loc[row - 1, col] = value
                note("unknown_keys", row, col, f"{col} set to {value}, not in the master")
        if "malformed_values" in kinds:
            for row, col, value in (
                (3, "ordered_qty", "twelve"),
                (6, "net_price", "1O5.2O"),
                (9, "order_date", "2024-02-30"),
                (12, "requested_date", "31/12/24"),
            ):
                text.loc[row - 1, col] = value
                note("malformed_values", row, col, f"{col} set to {value!r}")
        if "negative_quantities" in kinds:
            for row in (4, 7, 10):
                value = "-" + str(text.loc[row - 1, "ordered_qty"])
                text.loc[row - 1, "ordered_qty"] = value
                note("negative_quantities", row, "ordered_qty", f"ordered_qty set to {value}")
        if "duplicate_rows" in kinds:
            dup = text.iloc[n - 3 :].copy()
            text = pd.concat([text, dup], ignore_index=True)
            for k in range(3):
                note("duplicate_rows", n + 1 + k, None, f"exact copy of row {n - 2 + k}")
        if "renamed_column" in kinds:
            text = text.rename(columns={"shipped_qty": "qty_shipped"})
            note("renamed_column", None, "shipped_qty", f"header renamed to qty_shipped ({n} rows)")
        if "missing_column" in kinds:
            text = text.drop(columns=["due_date"])
            note("missing_column", None, "due_date", f"column dropped ({n} rows)")
        if "empty_file" in kinds:
            note("empty_file", None, None, f"written as zero bytes instead of {n} rows")
            return None, injected
        return text, injected
