"""``sop init``: a company's home: a commented ``platform.yml`` and the landing folder layout.

Never touches an existing file: a ``platform.yml`` already there is kept as it
is, and the landing layout is only empty folders (one per source contract's
file pattern), so a folder holding a company's extracts is left byte-identical.
"""

from __future__ import annotations

from pathlib import Path

from orchestration.settings import HOME_SETTINGS_FILE, REQUIRED_SOURCES

PLATFORM_YML = """\
# S&OP platform settings of {company}.
# Each key here replaces the product default of the same path (config/platform.yml);
# delete a key to go back to the default. Run `sop status` to see what the platform
# makes of the data; `sop run` to plan.

company:
  name: "{company}"                # shown on the monthly retrospective
  currency: {currency}                   # ISO 4217 code; amounts are shown in it
  holiday_calendar: {holidays}           # forecast drivers: chinese (Spring Festival, 618, Double 11) or none

sources:
  # The extracts you drop into landing/ (layout: docs/SOURCE_CONTRACTS.md). The minimal
  # company sends these three; each other source you add switches on what needs it:
  # shipments -> fill rate; inventory_snapshots -> inventory policy; capacity, production_output ->
  # supply plan; bom -> procurement; gl_actuals, budget -> budget variance; invoices,
  # cash_receipts -> cash and DSO; promotions -> forecast drivers;
  # sales_team_forecast -> consensus. `all` means every contract.
  provided: [{sources}]

planning:
  # A planning cycle "as of month M" needs this many months of order history up to and
  # including M. The first cycle is derived from your first order month, the last is the
  # last month closed before the as-of date (by default the day after your newest order).
  min_history_months: 13

schedules:
  timezone: {timezone}                  # the daily and monthly schedules' clock
  backfill_cycles: 6               # `sop run` plans the latest cycle and this many before it

report:
  lang: {lang}                         # zh (简体中文) or en
"""


def landing_folders() -> list[str]:
    """The landing sub-folders the source contracts' file patterns live in."""
    from ingestion.contracts import CONTRACTS

    return sorted({str(Path(c.file_glob).parent) for c in CONTRACTS.values()} - {"."})


def init_home(
    home: Path, company: str, currency: str, timezone: str, holidays: str = "none", lang: str = "en"
) -> list[str]:
    """Create what is missing of a company's home; return one line per thing done or kept."""
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    done = []
    settings = home / HOME_SETTINGS_FILE
    if settings.exists():
        done.append(f"kept     {settings} (already there, not changed)")
    else:
        settings.write_text(
            PLATFORM_YML.format(
                company=company.replace('"', "'"),
                currency=currency,
                holidays=holidays,
                sources=", ".join(REQUIRED_SOURCES),
                timezone=timezone,
                lang=lang,
            ),
            encoding="utf-8",
        )
        done.append(f"wrote    {settings}")
    for folder in landing_folders():
        path = home / "landing" / folder
        if not path.is_dir():
            path.mkdir(parents=True)
            done.append(f"created  {path}/")
    return done
