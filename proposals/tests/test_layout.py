"""Long tables break cleanly: headers repeat on every page and no row is split."""

import re
import subprocess

from proposals.pdf.context import build_context
from proposals.pdf.render import render_document
from proposals.services import proposal_snapshot
from proposals.tests.conftest import pdf_pages
from tests.factories import CircuitFactory, SiteFactory


def page_text(data: bytes, page: int) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    return out.stdout.decode()


def test_a_long_site_table_repeats_its_header_on_every_page(world, monkeypatch):
    # 47 sites are past the proposal's detail (the readiness table then lists the worst
    # 15): raise the bound so the table of every site spans pages.
    monkeypatch.setattr("proposals.pdf.sections.large.MAIN_DETAIL_SITES", 60)
    for i in range(45):
        site = SiteFactory(assessment=world.assessment, name=f"Branch {i:02d}", users=40 + i)
        CircuitFactory(site=site, down_mbps=20, up_mbps=2)
    snapshot = proposal_snapshot(assessment=world.assessment, issued_by="Alice Ames")
    data = render_document(build_context(snapshot)).data
    pages = [page_text(data, p) for p in range(1, pdf_pages(data) + 1)]
    table_pages = [t for t in pages if "Branch " in t and "TOP ISSUE" in t]
    assert len(table_pages) >= 2, "the 47-site table spans pages"
    for text in table_pages:  # the header row is repeated on each page of the table
        assert "SITE" in text and "SCORE" in text and "GRADE" in text
    # Every site's row is there, whole: its name, users and score sit on one page.
    table = "\n".join(table_pages)
    for i in range(45):
        assert f"Branch {i:02d}" in table


def test_a_name_without_spaces_breaks_inside_its_cell(world):
    site = SiteFactory(assessment=world.assessment, name="Warehouse-" + "X" * 50, users=50)
    CircuitFactory(site=site)
    snapshot = proposal_snapshot(assessment=world.assessment, issued_by="Alice Ames")
    data = render_document(build_context(snapshot)).data
    pages = [page_text(data, p) for p in range(1, pdf_pages(data) + 1)]
    table = next(t for t in pages if "TOP ISSUE" in t and "Warehouse-" in t)
    # Broken over several lines of the Site column, not run across Country and Score.
    longest = max(len(run) for run in re.findall(r"X+", table))
    assert longest <= 20, longest
    assert "XXXXXXXX" in table
