"""The contact's sites, measurements and review pages show 25 sites a page at any estate size."""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from assessments.models import Circuit, Site
from assessments.selectors import is_measured, unmeasured_q
from invites.models import InviteSection
from invites.tests.test_sites_and_measurements import _site_post
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db

PAGES = ("sites", "measurements")
HTML_BUDGET = 150_000  # bytes: a page of 25 cards with the questionnaire's frame is ~60 KB


def _estate(assessment, n: int, *, measured=lambda i: True) -> list[Site]:
    """``n`` sites named "Site 001"… in that order, each with an internet line."""
    sites = Site.objects.bulk_create(
        Site(
            assessment=assessment,
            name=f"Site {i:03d}",
            country="DE",
            city="Berlin",
            users=40,
            position=i,
            client_loss_pct=0.1 if measured(i) else None,
            client_rtt_ms=30 if measured(i) else None,
        )
        for i in range(1, n + 1)
    )
    Circuit.objects.bulk_create(
        Circuit(site=s, role="primary", kind="dia", down_mbps=100, up_mbps=20) for s in sites
    )
    return sites


def _names(html: str) -> list[str]:
    """The site names of the page's cards or list, in order."""
    return re.findall(r"(Site \d{3})(?:</h2>| · )", html)


@pytest.fixture
def big(world, make_invite):
    """A link to an assessment of 60 sites (none measured) and a contact's client."""
    assessment = AssessmentFactory(customer=world.customer, owner=world.owner, title="Stores")
    _estate(assessment, 60, measured=lambda i: False)
    return make_invite(assessment=assessment), Client()


@pytest.mark.parametrize("name", PAGES)
def test_a_page_shows_25_sites_and_a_pager(big, name):
    link, client = big
    html = client.get(link.url(name)).content.decode()
    assert _names(html) == [f"Site {i:03d}" for i in range(1, 26)]
    assert 'aria-label="Pages of your sites"' in html
    assert "Sites 1–25 of 60" in html
    assert 'href="?page=2" rel="next"' in html and 'aria-label="Page 3"' in html
    assert '<li class="page-item active" aria-current="page"><span class="page-link">1<' in html


@pytest.mark.parametrize("name", PAGES)
def test_the_third_page_shows_the_last_ten(big, name):
    link, client = big
    html = client.get(link.url(name) + "?page=3").content.decode()
    assert _names(html) == [f"Site {i:03d}" for i in range(51, 61)]
    assert "Sites 51–60 of 60" in html
    assert 'href="?page=2" rel="prev"' in html and 'rel="next"' not in html


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    ("page", "first"), [("99", 51), ("0", 51), ("junk", 1), ("2.5", 1), ("9" * 5000, 1)]
)
def test_a_page_past_the_end_is_the_last_and_junk_the_first(big, name, page, first):
    link, client = big
    response = client.get(link.url(name), {"page": page})
    assert response.status_code == 200
    assert _names(response.content.decode())[0] == f"Site {first:03d}"


def test_a_small_estate_shows_no_pager(client, link):
    for name in PAGES:
        html = client.get(link.url(name)).content.decode()
        assert "Stuttgart HQ" in html and "Lyon Office" in html
        assert "Pages of your sites" not in html and "page=" not in html


def test_the_measuring_chain_starts_at_the_first_unmeasured_site_even_on_page_2(world, make_invite):
    assessment = AssessmentFactory(customer=world.customer, owner=world.owner)
    sites = _estate(assessment, 60, measured=lambda i: i not in (40, 55))
    # Out of id order: the grid's order is position, then id.
    Site.objects.filter(pk=sites[54].pk).update(position=30)
    link = make_invite(assessment=assessment)
    html = Client().get(link.url("measurements")).content.decode()
    start = re.search(r'href="([^"]+)" data-start-chain>Start with ([^<]+)<', html)
    assert start.groups() == (link.url("measurements-site", sites[54].pk), "Site 055")


def test_an_estate_fully_measured_starts_at_its_first_site(world, make_invite):
    assessment = AssessmentFactory(customer=world.customer, owner=world.owner)
    _estate(assessment, 30)
    link = make_invite(assessment=assessment)
    html = Client().get(link.url("measurements") + "?page=2").content.decode()
    assert "Start with Site 001<" in html


def test_the_filter_and_the_check_of_a_site_agree_on_measured(world):
    # Each figure alone makes a site measured; jitter alone (never saved alone) does not.
    figures = {"client_loss_pct": 0.2, "edge_loss_pct": 0.1, "client_rtt_ms": 40}
    figures |= {"edge_rtt_ms": 20, "client_jitter_ms": 5}
    for name, value in figures.items():
        Site.objects.filter(pk=world.hq.pk).update(**{name: value})
        unmeasured = set(world.assessment.sites.filter(unmeasured_q()).values_list("pk", flat=True))
        for site in world.assessment.sites.all():
            assert (site.pk in unmeasured) is not is_measured(site), (name, site.name)
        Site.objects.filter(pk=world.hq.pk).update(**{name: None})
    assert world.assessment.sites.filter(unmeasured_q()).count() == 2


def test_review_summarises_a_large_estate(world, make_invite):
    assessment = AssessmentFactory(customer=world.customer, owner=world.owner)
    _estate(assessment, 60, measured=lambda i: i % 4 == 0)  # 15 measured
    link = make_invite(assessment=assessment)
    html = Client().get(link.url("review")).content.decode()
    assert "Sites (60)" in html
    assert "15 measured, 45 not measured." in html
    assert _names(html) == [f"Site {i:03d}" for i in range(1, 26)]
    assert html.count('· <span class="text-body-secondary">not measured</span>') == 19
    assert f'href="{link.url("sites")}?page=2">see them in “Your sites”' in html
    assert "And 35 more sites" in html


def test_review_of_a_small_estate_lists_every_site_without_a_summary(client, link, world):
    Site.objects.filter(pk=world.hq.pk).update(edge_rtt_ms=25)  # measured by its round trip
    html = client.get(link.url("review")).content.decode()
    assert "Sites (2)" in html and "more site" not in html and " measured, " not in html
    assert re.search(r"Stuttgart HQ[^<]*</li>", html)  # not marked
    assert re.search(r"Lyon Office[^<]*<span[^>]*>not measured</span>", html)


def test_review_points_a_measurements_only_contact_to_the_measurements_pages(world, make_invite):
    assessment = AssessmentFactory(customer=world.customer, owner=world.owner)
    _estate(assessment, 30)
    link = make_invite(assessment=assessment, sections=[InviteSection.MEASUREMENTS])
    html = Client().get(link.url("review")).content.decode()
    assert f'href="{link.url("measurements")}?page=2"' in html and "And 5 more sites" in html


@pytest.mark.parametrize("name", [*PAGES, "review"])
def test_queries_do_not_grow_with_the_sites(world, make_invite, name):
    counts = []
    for n in (30, 60):
        assessment = AssessmentFactory(customer=world.customer, owner=world.owner)
        _estate(assessment, n, measured=lambda i, n=n: i > n - 3)
        link = make_invite(assessment=assessment)
        client = Client()
        client.get(link.url(name))  # the contact's session, once
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(link.url(name) + "?page=2").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("name", [*PAGES, "review"])
def test_the_html_at_500_sites_stays_within_budget(world, make_invite, name):
    assessment = AssessmentFactory(customer=world.customer, owner=world.owner)
    _estate(assessment, 500)
    link = make_invite(assessment=assessment)
    response = Client().get(link.url(name))
    assert response.status_code == 200
    assert "Site 025" in response.content.decode()
    assert len(response.content) < HTML_BUDGET


@pytest.mark.parametrize(
    ("sections", "name"),
    [([InviteSection.MEASUREMENTS], "sites"), ([InviteSection.SITES], "measurements")],
)
def test_a_contact_not_invited_to_the_section_still_gets_404(big, make_invite, sections, name):
    link = make_invite(assessment=big[0].invite.assessment, sections=sections)
    assert Client().get(link.url(name) + "?page=2").status_code == 404


@pytest.mark.parametrize("name", [*PAGES, "review"])
def test_a_page_counts_the_sites_once(big, name):
    """The pager and the progress bar's estimate read the same count: one query, not two."""
    link, client = big
    client.get(link.url(name))  # the contact's session, once
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(link.url(name) + "?page=2").content.decode()
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1, counts
    assert "60" in re.sub(r"<[^>]+>", " ", html)  # the total shown is the count read
    if name in PAGES:  # the pager read the same count: three pages, the second shown
        assert _names(html)[0] == "Site 026" and "page=3" in html


def test_a_site_saved_or_removed_on_page_3_returns_the_contact_to_page_3(big):
    link, client = big
    site = Site.objects.get(assessment=link.invite.assessment, name="Site 055")
    saved = client.post(link.url("site-update", site.pk), _site_post(site, city="Potsdam"))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert saved["Location"] == f"{link.url('sites')}?page=3#site-{site.pk}"
    listed = client.get(saved["Location"]).content.decode()
    assert f'id="site-{site.pk}"' in listed and "Potsdam" in listed

    site.refresh_from_db()
    removed = client.post(link.url("site-delete", site.pk), {"version": site.version})
    assert removed["Location"] == f"{link.url('sites')}?page=3"
    assert not Site.objects.filter(pk=site.pk).exists()
    assert "Site 056" in client.get(removed["Location"]).content.decode()
