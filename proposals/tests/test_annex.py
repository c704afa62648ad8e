"""A large estate's proposal keeps its length; every site goes to the site annex (PDF, XLSX)."""

import hashlib
import html
import io
import re
from datetime import date

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest
from openpyxl import load_workbook

from assessments.models import Site
from assessments.schema.document import dump_document
from assessments.services.documents import result_payload
from bench.score_sites import make_assessments
from proposals import services, story
from proposals.models import AnnexKind, ProposalAnnex, ProposalStatus
from proposals.pdf.annex import _site_lines, _split_by_lines, annex_parts
from proposals.pdf.context import build_context
from proposals.pdf.isolated import RenderFailed
from proposals.pdf.render import render_document, render_html
from proposals.pdf.sections.large import MAIN_DETAIL_SITES, WORST_SITES
from proposals.services import branding_snapshot
from proposals.tests.conftest import flat, pdf_pages, pdf_text
from scoring import score_assessment
from tests.factories import CircuitFactory, SiteFactory

# The proposal an executive reads: about 20 to 30 pages, whatever the estate.
MAX_MAIN_PAGES = 30


def estate_snapshot(org, n_sites: int) -> dict:
    """An issued snapshot of an estate of ``n_sites`` random sites (every answer drawn).

    The document and results are what an issued proposal freezes: the assessment's JSON
    document and the engine's result payload, for the benchmark's stress estate.
    """
    source = make_assessments(n_sites, n_sites, seed=6)[0]
    results = result_payload(score_assessment(source))
    return {
        "document": dump_document(source),
        "results": results,
        "ruleset_version": "test",
        "branding": branding_snapshot(org),
        "thresholds": [],
        "number": 1,
        "issued_at": "2026-11-20T10:00:00+00:00",
        "issued_by": "Alice Ames",
        # Issued versions freeze the letter and next steps the summary opens and ends with.
        "story": {
            "letter": story.drafted_letter(results, customer="Contoso", partner="Northwind"),
            "steps": story.drafted_steps(results, today=date(2026, 11, 20)),
        },
    }


@pytest.mark.parametrize("n_sites", [30, 500])
def test_the_main_document_keeps_its_length_whatever_the_estate(world, n_sites):
    snapshot = estate_snapshot(world.org, n_sites)
    context = build_context(snapshot)
    rendered = render_document(context)
    assert 15 <= rendered.pages <= MAX_MAIN_PAGES, rendered.pages
    text = flat(pdf_text(rendered.data))
    assert f"Every one of the {n_sites} sites" in text
    assert "site annex" in text
    # The worst sites are there in detail, the rest are not.
    assert len(context["remediation"]) == WORST_SITES
    names = [s["site"] for s in snapshot["results"]["sites"]]
    worst = context["remediation"][0]["name"]
    assert worst in text
    named = [n for n in names if re.search(rf"\b{re.escape(n)}\b", text)]
    # The worst in detail, plus a few examples of each shared fix, check, plan and design:
    # a number that does not grow with the estate.
    assert len(named) <= 150 if n_sites == 500 else len(named) <= n_sites


def test_a_fix_shared_by_many_sites_appears_once_with_its_count_and_examples(world):
    context = build_context(estate_snapshot(world.org, 60))
    fix = max(context["common_fixes"], key=lambda f: f["sites"])
    assert fix["sites"] > MAIN_DETAIL_SITES
    assert fix["examples"].endswith(f"and {fix['sites'] - 3} more")
    text = flat(pdf_text(render_document(context).data))
    assert text.count(fix["text"][:60]) == 1


def test_a_draft_of_a_large_estate_says_the_annex_comes_with_the_issued_proposal(world):
    snapshot = estate_snapshot(world.org, 30)
    draft = flat(pdf_text(render_document(build_context(snapshot, draft=True)).data))
    # A preview is rendered without an annex: the reader is told it comes when issued.
    assert "in the site annex, issued with the proposal: a PDF" in draft
    assert "issued with this version" not in draft
    issued = flat(html.unescape(render_html(build_context(snapshot))))
    assert issued.count("in the site annex, issued with this version: a PDF") == 4
    assert "issued with the proposal" not in issued


def test_a_small_estate_keeps_every_site_in_the_proposal(world):
    for i in range(MAIN_DETAIL_SITES - 2):
        SiteFactory(assessment=world.assessment, name=f"Depot {i:02d}", users=30)
    snapshot = services.proposal_snapshot(assessment=world.assessment, issued_by="Al")
    context = build_context(snapshot)
    assert not context["annex"]["needed"]
    text = flat(pdf_text(render_document(context).data))
    assert "All sites" in text and "site annex" not in text
    for i in range(MAIN_DETAIL_SITES - 2):
        assert f"Depot {i:02d}" in text


def test_the_annex_pdf_lists_every_site_over_its_parts(world):
    snapshot = estate_snapshot(world.org, 150)
    parts = annex_parts(snapshot, processes=2)
    assert len(parts) == 2  # rendered in parallel, then joined
    data, pages = services.annex_file(snapshot, AnnexKind.PDF)
    assert pdf_pages(data) == pages
    text = flat(pdf_text(data))
    for site in snapshot["results"]["sites"]:
        assert site["site"] in text, site["site"]
    assert "Fixes that apply to several sites" in text
    assert "Part 2 of 2" in text or len(parts) == 1


def test_the_workbook_has_a_row_a_site_and_every_finding(world):
    snapshot = estate_snapshot(world.org, 40)
    snapshot["document"]["sites"][0]["name"] = "=HYPERLINK(1)"
    snapshot["results"]["sites"][0]["site"] = "=HYPERLINK(1)"
    data, pages = services.annex_file(snapshot, AnnexKind.XLSX)
    assert pages is None
    book = load_workbook(io.BytesIO(data), read_only=True)
    rows = list(book["Sites"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:6] == ("Site", "Country", "City", "Users", "Score", "Grade")
    assert "Fit: Operator Connect" in header and "Recommended model" in header
    assert len(body) == 40
    names = {r[0] for r in body}
    # A name that looks like a formula stays text.
    assert "'=HYPERLINK(1)" in names
    by_name = {s["site"]: s for s in snapshot["results"]["sites"]}
    row = next(r for r in body if r[0] != "'=HYPERLINK(1)")
    network = by_name[row[0]]["network"]
    assert row[header.index("Grade")] == network["grade_label"]
    findings = list(book["Findings"].iter_rows(values_only=True))[1:]
    expected = sum(
        1
        for s in snapshot["results"]["sites"]
        for f in s["network"]["findings"]
        if f["points"] < 0 or f["missing"]
    )
    assert len(findings) == expected
    answers = list(book["Answers"].iter_rows(values_only=True))
    assert len(answers) == 41


@pytest.fixture
def large_estate(world):
    """The world's customer grown past the proposal's detail: the annex PDF is issued too."""
    for i in range(MAIN_DETAIL_SITES):
        site = SiteFactory(
            assessment=world.assessment, name=f"Branch {i:02d}", users=40, qos="none"
        )
        CircuitFactory(site=site, down_mbps=100, up_mbps=20)
    return world


def annex_url(world, version, kind):
    url = reverse("proposals:proposal-annex", args=[world.assessment.pk])
    return f"{url}?version={version}&kind={kind}"


def test_issuing_renders_the_annex_beside_the_proposal(large_estate, issue, client):
    world = large_estate
    proposal = issue(world.owner, world.assessment)
    annexes = {a.kind: a for a in proposal.annexes.all()}
    assert set(annexes) == {"pdf", "xlsx"}
    assert all(a.status == ProposalStatus.READY for a in annexes.values())
    # Stored beside the proposal, under the organisation's slug and a random secret.
    assert annexes["pdf"].file.name.startswith("proposals/northwind/")
    page = client.get(reverse("proposals:proposal", args=[world.assessment.pk])).content.decode()
    assert "Site annex" in page and "Site workbook" in page
    assert annex_url(world, 1, "pdf").replace("&", "&amp;") in page

    for kind, media in (("pdf", "application/pdf"), ("xlsx", "spreadsheetml")):
        response = client.get(annex_url(world, 1, kind))
        assert response.status_code == 200
        assert media in response["Content-Type"]
        assert f"Site annex - Contoso Manufacturing - v1.{kind}" in response["Content-Disposition"]
        assert hashlib.sha256(response.content).hexdigest() == annexes[kind].sha256
    text = flat(pdf_text(client.get(annex_url(world, 1, "pdf")).content))
    for name in ["Stuttgart HQ", "Lyon Office", *(f"Branch {i:02d}" for i in range(15))]:
        assert name in text


def test_a_small_estate_gets_the_workbook_only(world, issue):
    proposal = issue(world.owner, world.assessment)
    assert [a.kind for a in proposal.annexes.all()] == ["xlsx"]


def test_the_annex_of_an_issued_version_never_changes(large_estate, issue, client):
    world = large_estate
    issue(world.owner, world.assessment)
    before = {k: client.get(annex_url(world, 1, k)).content for k in ("pdf", "xlsx")}
    Site.objects.filter(assessment=world.assessment).update(users=7)
    Site.objects.filter(pk=world.hq.pk).update(name="Renamed HQ")
    world.org.company_name = "Rebranded Partner"
    world.org.save()
    for kind, data in before.items():
        assert client.get(annex_url(world, 1, kind)).content == data
    annex = ProposalAnnex.objects.get(proposal__number=1, kind="pdf")
    assert services.annex_render(annex_id=annex.pk).sha256 == annex.sha256  # not again
    with pytest.raises(ValidationError):
        annex.delete()
    with pytest.raises(ValidationError):
        ProposalAnnex.objects.filter(pk=annex.pk).delete()
    with pytest.raises(ValidationError):
        ProposalAnnex.objects.filter(pk=annex.pk).update(kind="xlsx")
    annex.sha256 = "0" * 64
    with pytest.raises(ValidationError):
        annex.save()


def test_a_tampered_annex_is_refused_not_served(large_estate, issue, client):
    world = large_estate
    issue(world.owner, world.assessment)
    annex = ProposalAnnex.objects.get(kind="xlsx")
    annex.file.storage.delete(annex.file.name)
    annex.file.storage.save(annex.file.name, io.BytesIO(b"PK forged"))
    response = client.get(annex_url(world, 1, "xlsx"))
    assert response.status_code == 500
    assert b"forged" not in response.content


def test_a_failed_annex_shows_its_error_and_can_be_retried(
    large_estate, issue, client, monkeypatch, django_capture_on_commit_callbacks
):
    world = large_estate
    real = services.annex_file

    def broken(snapshot, kind):
        if kind == "pdf":
            raise RenderFailed("Rendering was stopped after 120 seconds.")
        return real(snapshot, kind)

    monkeypatch.setattr(services, "annex_file", broken)
    proposal = issue(world.owner, world.assessment)
    assert proposal.status == ProposalStatus.READY  # the proposal itself is fine
    annex = proposal.annexes.get(kind="pdf")
    assert annex.status == ProposalStatus.FAILED
    page = client.get(reverse("proposals:proposal", args=[world.assessment.pk])).content.decode()
    assert "Rendering was stopped after 120 seconds." in page
    assert "Retry the annex" in page
    assert client.get(annex_url(world, 1, "pdf")).status_code == 302  # not ready: back

    monkeypatch.setattr(services, "annex_file", real)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("proposals:proposal-annex-retry", args=[world.assessment.pk]),
            {"version": 1, "kind": "pdf"},
        )
    assert response.status_code == 302
    annex.refresh_from_db()
    assert annex.status == ProposalStatus.READY and annex.attempts == 2
    assert client.get(annex_url(world, 1, "pdf")).status_code == 200


def test_another_organisation_cannot_reach_an_annex(large_estate, issue, client):
    world = large_estate
    issue(world.owner, world.assessment)
    client.force_login(world.outsider)
    assert client.get(annex_url(world, 1, "pdf")).status_code == 404


def annex_entry(name: str, findings: int) -> dict:
    """A site of the annex failing ``findings`` checks, each with a two-line recommendation."""
    finding = {"message": "Teams media goes through the VPN.", "recommendation": "x" * 200}
    return {"name": name, "findings": [finding] * findings, "closing": [], "resilience": ""}


def test_the_annex_parts_are_cut_by_the_lines_they_lay_out_not_by_their_sites():
    # The slowest part bounds when the annex is ready: a part of the sites that fail many
    # checks gets fewer of them than a part of the sites that pass.
    entries = [annex_entry(f"Site {i}", 6) for i in range(100)]
    entries += [annex_entry(f"Site {i}", 0) for i in range(100, 400)]
    chunks = _split_by_lines(entries, 2, lead=0)
    assert [e for chunk in chunks for e in chunk] == entries  # every site, in order
    lines = [sum(_site_lines(e) for e in chunk) for chunk in chunks]
    assert len(chunks[0]) < 100 < len(chunks[1])
    assert abs(lines[0] - lines[1]) <= _site_lines(entries[0])  # within one heavy site
    # The first part also opens with the tables the references point to: it gets fewer lines.
    light = [annex_entry(f"Site {i}", 1) for i in range(200)]
    first, second = _split_by_lines(light, 2, lead=400)
    assert len(first) < len(second) and len(first) + len(second) == 200
    # However long the opening, every part has a site to list.
    assert [len(c) for c in _split_by_lines(light[:3], 3, lead=10_000)] == [1, 1, 1]
