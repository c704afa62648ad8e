"""The proposal PDF: what a customer reads in it, page numbers, and the draft preview."""

import io
import re

from django.urls import reverse

from pypdf import PdfReader

from assessments import engine_io
from proposals.pdf.context import build_context
from proposals.pdf.render import render_document, render_html
from proposals.services import proposal_snapshot
from proposals.tests.conftest import flat, pdf_pages, pdf_text


def test_the_draft_preview_reads_like_the_proposal(
    world, login, django_capture_on_commit_callbacks
):
    client = login(world.owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("proposals:proposal-preview-prepare", args=[world.assessment.pk]))
    response = client.get(reverse("proposals:proposal-preview", args=[world.assessment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    data = response.content
    text = flat(pdf_text(data))
    result = engine_io.score(world.assessment)
    assert "Contoso Manufacturing" in text
    assert result.recommendation.label in text
    assert "DRAFT" in text
    for site in ("Stuttgart HQ", "Lyon Office"):
        assert site in text
    for row in result.ownership.rows:
        assert row.label in text, row.label
    assert "do you want voice to be a product you use, or a platform you operate?" in text.lower()
    pages = pdf_pages(data)
    assert 8 <= pages <= 30
    footers = re.findall(r"Page (\d+) of (\d+)", pdf_text(data, layout=True))
    assert footers, "every page but the cover carries 'Page n of N'"
    assert {int(total) for _n, total in footers} == {pages}
    assert sorted(int(n) for n, _ in footers) == list(range(2, pages + 1))


def test_the_pdf_has_a_table_of_contents_with_page_numbers(world):
    snapshot = proposal_snapshot(assessment=world.assessment, issued_by="Alice Ames")
    data = render_document(build_context(snapshot)).data
    text = pdf_text(data, layout=True)
    toc = re.search(r"Contents(.*?)Scores come from", text, re.S).group(1)
    entries = re.findall(r"(\d|[ABC]) ([A-Z][^.\n]+?)\s*\.{3,}\s*(\d+)", toc)
    titles = [title.strip() for _n, title, _p in entries]
    assert "Executive summary" in titles
    assert "What IT owns under each model" in titles
    pages = [int(p) for _n, _t, p in entries]
    assert pages == sorted(pages) and pages[0] >= 3


def test_the_pdf_is_tagged_and_its_text_is_real(world):
    snapshot = proposal_snapshot(assessment=world.assessment, issued_by="Alice Ames")
    data = render_document(build_context(snapshot)).data
    catalog = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert "/StructTreeRoot" in catalog  # PDF/UA tagging: a structure tree
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == "en"
    assert "Stuttgart HQ" in pdf_text(data)


def test_the_html_debug_view_is_the_same_document(world):
    snapshot = proposal_snapshot(assessment=world.assessment, issued_by="Alice Ames")
    html = render_html(build_context(snapshot))
    assert html.startswith("<!doctype html>")
    assert "@page" in html and 'counter(page) " of " counter(pages)' in html
    assert "Lyon Office" in html


def test_a_customer_without_sites_gets_a_short_honest_proposal(world):
    world.hq.delete()
    world.branch.delete()
    snapshot = proposal_snapshot(assessment=world.assessment, issued_by="Alice Ames")
    data = render_document(build_context(snapshot)).data
    text = flat(pdf_text(data))
    assert "No sites have been entered yet." in text
    # 14 pages before the cost section, which adds its table, counts and assumptions, and
    # the executive story (letter, cost, what IT owns, next steps), which adds a page.
    assert pdf_pages(data) <= 17


def test_in_development_the_preview_can_be_read_as_html(world, login, settings):
    url = reverse("proposals:proposal-preview", args=[world.assessment.pk])
    client = login(world.owner)
    # Not in production: there it asks for the prepared PDF (none yet, and it says so).
    assert "No draft preview is ready" in client.get(url, {"as": "html"}).content.decode()
    settings.DEBUG = True
    response = client.get(url, {"as": "html"})
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert '<base href="/static/">' in body and "Stuttgart HQ" in body
    assert "script-src 'none'" in response["Content-Security-Policy"]
