"""Markdown reference of every source contract ("bring your own data").

``python -m ingestion.docs`` prints it; the README and ``docs/`` embed it.
"""

from __future__ import annotations

from collections.abc import Iterable

from ingestion.checks import Check, OneOf, Pattern
from ingestion.contracts import CONTRACTS, Reference, SourceContract

_LOAD_MODES = {
    "snapshot": "snapshot: the newest file replaces the whole table",
    "by_file": "by file: each file adds its rows; a re-delivered file replaces its own rows",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _reference_line(ref: Reference) -> str:
    known = " or ".join(f"`{s}.{ref.target_column}`" for s in ref.sources)
    extra = "".join(f" (or `{v}`)" for v in ref.extra_values)
    return f"- `{ref.column}` must exist in {known}{extra}"


def _check_text(check: Check) -> str:
    """A check in words, as the quarantine reason states it."""
    if isinstance(check, OneOf):
        return f"`{check.column}` must be one of {', '.join(f'`{v}`' for v in check.values)}"
    if isinstance(check, Pattern):
        return f"{check.message} (pattern `{check.regex}` on the ISO text)"
    return check.message


def contract_markdown(contract: SourceContract) -> str:
    """One source's section: summary list, column table, references and rules."""
    lines = [
        f"### `{contract.name}` ({contract.area})",
        "",
        _cell(contract.description),
        "",
        f"- File pattern: `{contract.file_glob}` (under `landing/`)",
        f"- Format: {contract.format}",
        f"- Grain: {contract.grain}",
        f"- Key: {', '.join(f'`{k}`' for k in contract.primary_key)}",
        f"- Loading: {_LOAD_MODES[contract.load_mode]}",
    ]
    if contract.event_date_column:
        period = (
            " (first day of the month the row covers)" if contract.event_period == "month" else ""
        )
        lines.append(f"- Event date: `{contract.event_date_column}`{period}")
    if contract.max_age_days is not None:
        lines.append(
            f"- Expected freshness: a new file at least every {contract.max_age_days} days"
        )
    if contract.depends_on:
        lines.append(f"- Loaded after: {', '.join(f'`{d}`' for d in contract.depends_on)}")
    lines += ["", "| Column | Type | Required | Description |", "|---|---|---|---|"]
    lines += [
        f"| `{c.name}` | {c.type} | {'yes' if c.required else 'no'} | {_cell(c.description)} |"
        for c in contract.columns
    ]
    if contract.references:
        lines += ["", "References:", ""]
        lines += [_reference_line(r) for r in contract.references]
    settable = [c for c in contract.checks if isinstance(c, OneOf) and c.setting]
    if settable:
        lines += ["", "Allowed values (a company sets its own in `platform.yml`):", ""]
        lines += [
            f"- `{a.column}`: one of the `company.{a.setting}` list (default: "
            f"{', '.join(f'`{v}`' for v in a.values)}; case-insensitive)"
            for a in settable
        ]
    rules = [c for c in contract.checks if c not in settable]
    if rules:
        lines += ["", "Rules:", ""]
        lines += [f"- `{r.name}`: {_cell(_check_text(r))}" for r in rules]
    return "\n".join(lines)


def contracts_markdown(contracts: Iterable[SourceContract] | None = None) -> str:
    """The whole reference: how loading treats files and rows, then one section per source."""
    chosen = list(CONTRACTS.values()) if contracts is None else list(contracts)
    intro = [
        "## Source contracts",
        "",
        "Every file dropped in `landing/` must match its source's contract. Values are read as",
        "text and cast to the column type; text is trimmed of surrounding blanks (so `SO1 ` and",
        "`SO1` are the same key). A row with an empty required value, a value that does not",
        "cast, a broken rule, a value outside an allowed set, an unknown reference or a repeated",
        "key goes to `audit.quarantine` with the reason (workbooks: with the cell); the other",
        "rows go to `raw.<source>`. A file missing a required contract column (or unreadable)",
        "is rejected whole and fails its source; an optional column (Required: no) may be left",
        "out of the file and loads as empty. Extra columns are ignored; both are noted in",
        "`audit.load_ledger`. Column names match case-insensitively. CSV files are UTF-8,",
        "comma-separated, with a header row.",
        "",
    ]
    return "\n".join(intro) + "\n" + "\n\n".join(contract_markdown(c) for c in chosen) + "\n"


if __name__ == "__main__":
    print(contracts_markdown(), end="")
