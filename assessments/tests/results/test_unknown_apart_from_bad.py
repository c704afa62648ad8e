"""Pages keep "unknown" apart from "bad": a grey Not assessed, what to find out, the outlook."""

import re

from django.urls import reverse

import pytest

from assessments import charts
from tests import readiness_sites

pytestmark = pytest.mark.django_db


@pytest.fixture
def unknown_site(world):
    return readiness_sites.unknown_site(world.assessment)


@pytest.fixture
def known_site(world):
    return readiness_sites.known_site(world.assessment)


def _row(page: str, site) -> str:
    """The grid row of ``site``: its score cell is the element ``row-<pk>-score``."""
    return page.split(f'id="row-{site.pk}-score"')[1].split("</td>")[0]


def _card(page: str, site) -> str:
    return page.split(f'id="result-{site.pk}"')[1].split("site-result")[0]


def _detail(client, site) -> str:
    """A site's detail as it loads when its row of the results is opened."""
    url = reverse("assessments:site-result", args=[site.assessment_id, site.pk])
    return client.get(url, HTTP_HX_REQUEST="true").content.decode()


def test_the_grid_shows_a_site_with_only_dont_know_answers_grey_without_a_score(
    world, login, unknown_site
):
    page = login(world.owner).get(reverse("assessments:site-grid", args=[world.assessment.pk]))
    cell = _row(page.content.decode(), unknown_site)
    assert "grade-not_assessed" in cell and "Not assessed" in cell
    assert "grade-not_ready" not in cell and "Not ready" not in cell
    # "100" would read as perfect: nothing is lost only because nothing is known.
    assert re.search(r'class="score-chip[^"]*"[^>]*>—<', cell)
    assert "needs data" in cell


def test_the_live_summary_counts_the_sites_not_assessed(world, login, unknown_site):
    page = login(world.owner).get(reverse("assessments:site-grid", args=[world.assessment.pk]))
    panel = page.content.decode().split('id="live-summary"')[1].split("</section>")[0]
    assert re.search(r"Not assessed <strong>3</strong>", panel)  # the world's two sites too
    assert re.search(r"Not ready <strong>0</strong>", panel)


def test_the_results_page_shows_not_assessed_and_what_to_find_out(world, login, unknown_site):
    page = login(world.owner).get(reverse("assessments:results", args=[world.assessment.pk]))
    row = _card(page.content.decode(), unknown_site)
    assert "Not assessed" in row and "Needs data" in row
    card = _detail(login(world.owner), unknown_site)
    assert "grade-not_ready" not in card and "Not ready" not in card
    assert "To find out" in card
    # Each unknown is listed once, to find out, not again among the problems to fix.
    assert "jitter not measured" not in card and "Client round-trip time, client jitter" in card
    # Each entry says how to find it out and links the Microsoft page behind the target.
    assert "Network Assessment Tool" in card
    assert 'href="https://learn.microsoft.com/' in card


def test_the_results_page_shows_the_projection_after_the_listed_fixes(world, login, known_site):
    page = login(world.owner).get(reverse("assessments:results", args=[world.assessment.pk]))
    row = _card(page.content.decode(), known_site)
    assert re.search(r"Readiness (\d+)/100 · 100 after the listed fixes", row)
    card = _detail(login(world.owner), known_site)
    assert "After the listed fixes" in card
    assert "QoS" in card or "Quality of Service" in card


def test_no_page_shows_internal_references(world, login, unknown_site, known_site):
    client = login(world.owner)
    for name in ("site-grid", "results"):
        page = client.get(
            reverse(f"assessments:{name}", args=[world.assessment.pk])
        ).content.decode()
        assert "domain.md" not in page and "§" not in page, name


def test_the_readiness_chart_draws_no_bar_for_a_site_not_assessed():
    svg = str(
        charts.readiness_bars([("Graz Depot", 100, "not_assessed"), ("Leeds Office", 90, "ready")])
    )
    # A full bar of 100 would read as a perfect site; a dash says nothing is known yet.
    assert re.search(r"<title>Graz Depot: — \(Not assessed\)</title>", svg)
    assert "Graz Depot: not assessed; Leeds Office: 90" in svg
    widths = re.findall(r'<rect x="\d+" y="\d+" width="([\d.]+)" height="18" rx="3" fill="#', svg)
    assert float(widths[1]) == 2.0 and float(widths[3]) > 300
