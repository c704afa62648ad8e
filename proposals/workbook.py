"""The site annex as a workbook (XLSX): a row a site, every finding, the answers."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from imports.services.cells import neutralise
from proposals.pdf.annex import annex_sites
from proposals.pdf.context import ProposalSnapshot
from proposals.pdf.plain import plain
from proposals.pdf.sections import appendix
from proposals.pdf.sections.costs import frozen_costs
from proposals.pdf.sections.sources import page_for
from scoring.results import issue_order
from scoring.sbc_sizing import SBC_CLASS_LABELS

# The fit columns, in the order the proposal compares the models.
FIT_MODELS = (
    ("operator_connect", "Fit: Operator Connect"),
    ("direct_routing", "Fit: Direct Routing, self-managed"),
    ("direct_routing_hosted", "Fit: Direct Routing as a service"),
    ("calling_plans", "Fit: Calling Plans"),
    ("teams_phone_mobile", "Fit: Teams Phone Mobile"),
)
# The issues a site's row names, most severe first; the Findings sheet has them all.
TOP_ISSUES = 3
SITE_COLUMNS = (
    ("Site", 28),
    ("Country", 16),
    ("City", 14),
    ("Users", 8),
    ("Score", 8),
    ("Grade", 22),
    ("Known (%)", 10),
    ("Score after fixes", 10),
    ("Grade after fixes", 22),
    ("Recommended model", 26),
    *((label, 12) for _model, label in FIT_MODELS),
    ("Top issues", 70),
    ("Resilience", 50),
)
SBC_COLUMNS = (
    ("Region or site", 28),
    ("Site's own", 10),
    ("Sites served", 10),
    ("Peak calls", 10),
    ("Sessions", 10),
    ("Size", 10),
    ("SBCs", 8),
    ("Session licences", 12),
    ("Rule", 90),
)


def _findings(result_site: dict[str, Any]) -> list[dict[str, Any]]:
    """A site's findings that cost points or are to verify, most severe first."""
    found = [f for f in result_site["network"]["findings"] if f["points"] < 0 or f.get("missing")]
    return sorted(found, key=issue_order)


def _sheet(book, title: str, columns: tuple[tuple[str, int], ...] | list[tuple[str, int]]):
    """A write-only sheet with bold, frozen headings and sensible column widths."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    sheet.freeze_panes = "B2"
    for index, (_label, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    headings = []
    for label, _width in columns:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = bold
        headings.append(cell)
    sheet.append(headings)
    return sheet


def _row(values: list[Any]) -> list[Any]:
    # A site named "=HYPERLINK(...)" must stay text in the customer's spreadsheet.
    return [neutralise(v) for v in values]


def build_workbook(snapshot: ProposalSnapshot) -> bytes:
    """The site annex's workbook: Sites, Findings, Fixes, Checks, SBCs and Answers sheets.

    Args:
        snapshot: An issued proposal's snapshot (or a draft's).

    Returns:
        The XLSX file's bytes.
    """
    from openpyxl import Workbook

    content = annex_sites(snapshot)
    results, document = snapshot["results"], snapshot["document"]
    by_name = {s["site"]: s for s in results.get("sites", [])}
    fix_refs = {fix["text"]: fix["ref"] for fix in content["common_fixes"]}
    book = Workbook(write_only=True)
    issued = snapshot.get("issued_at")
    if issued:  # the same properties whenever the version is rebuilt
        book.properties.created = book.properties.modified = datetime.fromisoformat(issued)
    book.properties.title = "Site annex"
    sites = _sheet(book, "Sites", SITE_COLUMNS)
    findings = _sheet(
        book,
        "Findings",
        [
            ("Site", 28),
            ("Severity", 10),
            ("What we found", 70),
            ("What to do", 70),
            ("Fix", 8),
            ("Points", 8),
            ("Microsoft source", 40),
        ],
    )
    for entry in content["sites"]:
        result = by_name.get(entry["name"], {})
        fits = {f["model"]: f.get("fit") for f in result.get("fits", [])}
        site_findings = _findings(result) if result else []
        top = [plain(f["message"]) for f in site_findings if not f.get("missing")][:TOP_ISSUES]
        after = entry["after"] or {}
        sites.append(
            _row(
                [
                    entry["name"],
                    entry["country"],
                    entry["city"],
                    entry["users"],
                    None if entry["score_shown"] == "—" else entry["score"],
                    entry["grade_label"],
                    entry["completeness"],
                    None if after.get("score") in (None, "—") else after["score"],
                    after.get("label", ""),
                    entry["model_label"],
                    *(fits.get(model) for model, _label in FIT_MODELS),
                    "; ".join(top),
                    entry["resilience"],
                ]
            )
        )
        for f in site_findings:
            message, advice = plain(f["message"]), plain(f["recommendation"])
            page = page_for(f)
            findings.append(
                _row(
                    [
                        entry["name"],
                        "To verify" if f.get("missing") else f["severity"].capitalize(),
                        message,
                        advice,
                        "" if f.get("missing") else fix_refs.get(advice, ""),
                        f["points"],
                        page["title"] if page else "",
                    ]
                )
            )
    fixes = _sheet(
        book, "Fixes", [("Fix", 8), ("What we found", 70), ("What to do", 70), ("Sites", 8)]
    )
    for fix in content["common_fixes"]:
        fixes.append(_row([fix["ref"], "; ".join(fix["found"]), fix["text"], fix["sites"]]))
    checks = _sheet(book, "Checks", [("Check", 9), ("What is not known", 90), ("Sites", 8)])
    for check in content["common_checks"]:
        checks.append(_row([check["ref"], check["text"], check["sites"]]))
    _sbcs(book, results)
    _answers(book, document)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sbcs(book, results: dict[str, Any]) -> None:
    """The SBC sizing of self-managed Direct Routing, a row a group, as the proposal froze it.

    A large estate's proposal sums the sites' own SBCs up in one sentence and points here,
    so this sheet has every group: each region's pair, then each site with its own SBCs. A
    version issued before costs has no sizing to give, and no sheet.
    """
    costs = frozen_costs(results)
    if costs is None:
        return
    sheet = _sheet(book, "SBCs", SBC_COLUMNS)
    for g in costs.sbc.groups:
        sheet.append(
            _row(
                [
                    g.region,
                    "Yes" if g.local else "No",
                    len(g.sites),
                    g.peak_calls,
                    g.sessions,
                    SBC_CLASS_LABELS.get(g.size, g.size or "Custom-sized"),
                    g.sbcs,
                    g.session_licences,
                    plain(g.rule),
                ]
            )
        )


def _answers(book, document: dict[str, Any]) -> None:
    """Each site's answers, one row a site, in the columns of the proposal's appendix."""
    fields = [
        (name, f"{prefix}{label}")
        for _title, columns in appendix.SITE_TABLES
        for prefix, names, _cls in columns
        for name, label in names
    ]
    sheet = _sheet(book, "Answers", [("Site", 28), *((label, 14) for _n, label in fields)])
    for site in document.get("sites", []):
        sheet.append(_row([site["name"], *(appendix._site_answer(site, n) for n, _l in fields)]))
