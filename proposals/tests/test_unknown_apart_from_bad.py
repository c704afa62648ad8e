"""The PDF keeps "unknown" apart from "bad", cites Microsoft's pages, and reads older snapshots."""

import copy

import pytest

from proposals.pdf.context import build_context
from proposals.pdf.render import render_document, render_html
from proposals.services import proposal_snapshot
from proposals.tests.conftest import flat, pdf_text
from tests.readiness_sites import known_site, unknown_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot(world):
    unknown_site(world.assessment)
    known_site(world.assessment)
    return proposal_snapshot(assessment=world.assessment, issued_by="Alice Ames")


def _row(context, name):
    return next(s for s in context["sites"] if s["name"] == name)


def _table_row(html, name):
    """The readiness table's row of a site, as WeasyPrint receives it."""
    table = html.split('class="data compact readiness-table"')[1].split("</table>")[0]
    return table.split(f'<th scope="row">{name}</th>')[1].split("</tr>")[0]


def test_the_pdf_shows_a_dont_know_site_as_not_assessed_with_what_to_find_out(snapshot):
    context = build_context(snapshot)
    graz = _row(context, "Graz Depot")
    assert (graz["grade"], graz["grade_label"], graz["score_shown"]) == (
        "not_assessed",
        "Not assessed",
        "—",
    )
    # Its table row: grey, the dash, not a score of 100 and not red "Not ready".
    row = _table_row(render_html(context), "Graz Depot")
    assert '<td class="grade-cell grade-not_assessed"><strong>—</strong> Not assessed</td>' in row
    assert "not_ready" not in row and "Not ready" not in row
    text = flat(pdf_text(render_document(context).data))
    # A site that opens a page follows the findings table's repeated headings, which the
    # text extraction reads into the middle of the site's line.
    for heading in ("SEVERITY ", "WHAT WE FOUND (MICROSOFT SOURCE) ", "WHAT TO DO "):
        text = text.replace(heading, "")
    assert "Graz Depot Germany · Berlin · 12 users · score — · Not assessed · 0% known" in text
    assert context["figures"]["not_assessed"] == 3  # the world's two sites too
    assert context["figures"]["not_ready"] == 0
    # What to find out at the site, each with how.
    graz_work = next(s for s in context["remediation"] if s["name"] == "Graz Depot")
    assert graz_work["check_words"] and all("(" in w for w in graz_work["check_words"])
    assert "Network Assessment Tool" in text
    # Rescaling over what is known moves the score but is nothing to do: never a fix.
    assert "Find out the unknowns listed" not in text


def test_the_pdf_shows_the_score_after_the_listed_fixes_beside_todays(snapshot):
    context = build_context(snapshot)
    leeds = _row(context, "Leeds Office")
    assert leeds["grade"] != "not_assessed"
    assert leeds["after"]["score"] == 100 and leeds["after"]["label"] == "Ready"
    # The summary's key figures: Leeds is ready today and stays so; none of the others is
    # known well enough to be graded even after the fixes.
    assert context["figures"]["ready_after_fixes"] == 1
    html = render_html(context)
    assert '<span class="value">1</span><span class="label">Ready after fixes</span>' in html
    assert '<span class="value">3</span><span class="label">Need data</span>' in html
    row = _table_row(render_html(context), "Leeds Office")
    assert f"<strong>{leeds['score']}</strong> {leeds['grade_label']}</td>" in row
    assert '<td class="grade-cell grade-ready"><strong>100</strong> Ready</td>' in row


def test_the_pdf_cites_microsoft_pages_and_no_internal_notes(snapshot):
    text = flat(pdf_text(render_document(build_context(snapshot)).data))
    assert "domain.md" not in text and "§" not in text
    assert "Implement Quality of Service (QoS) in Microsoft Teams" in text  # Leeds' QoS finding


def test_a_proposal_issued_before_unknowns_were_told_apart_still_renders(snapshot):
    older = copy.deepcopy(snapshot)
    # What an earlier version stored: no completeness, to find out, projection or pages,
    # no "not assessed" count, and messages that cited the notes by section.
    del older["results"]["summary"]["not_assessed"]
    for site in older["results"]["sites"]:
        network = site["network"]
        for key in ("completeness", "to_find_out", "projection"):
            del network[key]
        for f in network["findings"]:
            f.pop("source", None)
            f["message"] = f["message"].rstrip(".") + " (domain.md §2.1)."
    for t in older["thresholds"]:
        t.pop("source", None)
    context = build_context(older)
    assert _row(context, "Leeds Office")["after"] is None
    assert context["figures"]["ready_after_fixes"] is None
    assert context["figures"]["not_assessed"] == 0
    text = flat(pdf_text(render_document(context).data))
    assert "Leeds Office" in text and "Graz Depot" in text
    assert "domain.md" not in text and "§" not in text
    # The pages are derived from the sections by the engine's rule.
    assert "Prepare your organization's network for Microsoft Teams" in text
