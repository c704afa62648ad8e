"""Pages answer with a number of queries that does not grow with sites or assessments."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from tests.factories import AssessmentFactory, CircuitFactory, SiteFactory

MAX_QUERIES = 25  # an absolute ceiling too, so a page never drifts into dozens of queries


def add_sites(assessment, n: int) -> None:
    for _ in range(n):
        site = SiteFactory(assessment=assessment, client_loss_pct=0.2)
        CircuitFactory(site=site, role="primary")
        CircuitFactory(site=site, role="backup", kind="cellular", down_mbps=50, up_mbps=10)


def queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def grow(world, client, url_name, more_sites: int = 30, **params):
    """Query counts of a page of the world's assessment at its size and with 30 more sites."""
    url = (
        reverse(url_name, args=[world.assessment.pk])
        if url_name != "assessments:dashboard"
        else (reverse(url_name))
    )
    client.force_login(world.owner)
    queries(client, url, **params)  # warm caches (content types, sessions)
    small = queries(client, url, **params)
    add_sites(world.assessment, more_sites)
    large = queries(client, url, **params)
    return small, large


@pytest.mark.parametrize(
    "url_name",
    [
        "assessments:assessment-detail",
        "assessments:site-grid",
        "assessments:questionnaire",
        "assessments:assessment-update",
    ],
)
def test_assessment_pages_do_not_grow_with_sites(world, client, url_name):
    world.hq.delete()  # start from one site
    small, large = grow(world, client, url_name)
    assert large == small, f"{url_name}: {small} queries with 1 site, {large} with 31"
    assert large <= MAX_QUERIES


def test_dashboard_does_not_grow_with_assessments_or_sites(world, client):
    client.force_login(world.owner)
    url = reverse("assessments:dashboard")
    queries(client, url, scope="all")
    small = queries(client, url, scope="all")
    for _ in range(20):
        assessment = AssessmentFactory(customer=world.customer, owner=world.teammate)
        add_sites(assessment, 2)
    add_sites(world.assessment, 30)
    large = queries(client, url, scope="all")
    assert large == small
    assert large <= MAX_QUERIES


def test_customer_list_does_not_grow_with_customers(world, client):
    from tests.factories import CustomerFactory

    client.force_login(world.owner)
    url = reverse("assessments:customer-list")
    queries(client, url)
    small = queries(client, url)
    CustomerFactory.create_batch(20, organisation=world.org)
    assert queries(client, url) == small


def test_site_form_does_not_grow_with_sibling_sites(world, client):
    client.force_login(world.owner)
    url = reverse("assessments:site-update", args=[world.assessment.pk, world.hq.pk])
    queries(client, url)
    small = queries(client, url)
    add_sites(world.assessment, 30)
    assert queries(client, url) == small


def test_saving_a_grid_row_does_not_grow_with_sites(world, client):
    """A row save re-scores the assessment: the same queries with 2 sites or 32."""
    from assessments.forms import GridRowForm
    from tests.factories import form_data

    client.force_login(world.owner)
    url = reverse("assessments:site-row-save", args=[world.assessment.pk, world.hq.pk])

    def save(users: int) -> int:
        world.hq.refresh_from_db()
        data = form_data(GridRowForm(instance=world.hq, row=f"row-{world.hq.pk}"), users=users)
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(url, data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert b'data-status="saved"' in response.content
        return len(ctx.captured_queries)

    save(851)
    small = save(852)
    add_sites(world.assessment, 30)
    large = save(853)
    assert large == small, f"row save: {small} queries with 2 sites, {large} with 32"


@pytest.mark.parametrize(
    "url_name", ["assessments:assessment-detail", "assessments:site-grid", "assessments:results"]
)
def test_a_page_reads_the_members_membership_with_the_user(world, client, url_name):
    """The organisation on the request and the tenant filter read no membership of their own."""
    client.force_login(world.owner)
    url = reverse(url_name, args=[world.assessment.pk])
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    assert not [q for q in sql if 'FROM "assessments_membership"' in q]
    user = [q for q in sql if 'FROM "auth_user"' in q]
    assert len(user) == 1 and 'JOIN "assessments_membership"' in user[0]


def test_a_session_from_before_reads_the_membership_once(world, client):
    """A session signed in by Django's own backend (before this one) stays signed in."""
    client.force_login(world.owner, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("assessments:results", args=[world.assessment.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    membership = [q for q in ctx.captured_queries if 'FROM "assessments_membership"' in q["sql"]]
    assert len(membership) == 1


def test_a_user_without_an_organisation_still_sees_nothing(world, client):
    """A remembered "no membership" keeps the tenant filter empty: 403, not someone's data."""
    from django.contrib.auth import get_user_model

    stranger = get_user_model().objects.create_user("stranger", password="x-stranger-2026-pw")
    client.force_login(stranger)
    url = reverse("assessments:assessment-detail", args=[world.assessment.pk])
    assert client.get(url).status_code in (403, 404)


def test_the_overview_counts_the_sites_once(world, client):
    """Its figures count the sites: the pager reads that count rather than asking again."""
    add_sites(world.assessment, 45)  # 47 sites: two pages of 40
    client.force_login(world.owner)
    url = reverse("assessments:assessment-detail", args=[world.assessment.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(url, {"page": 2}).content.decode()
    sql = [q["sql"] for q in ctx.captured_queries]
    assert not [q for q in sql if q.startswith("SELECT COUNT(*)")]
    assert ">47<" in html and 'aria-label="Page 1"' in html  # the figures; the pager
    # A search counts what it matched: the figures' count is of every site.
    with CaptureQueriesContext(connection) as ctx:
        client.get(url, {"q": "Stuttgart"})
    assert [q for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]


@pytest.mark.parametrize(
    ("url_name", "tab"),
    [
        ("assessments:assessment-detail", "Overview"),
        ("assessments:results", "Results"),
        ("assessments:site-grid", "Sites"),
    ],
)
def test_each_page_marks_its_own_tab_with_the_assessments_own_links(world, client, url_name, tab):
    client.force_login(world.owner)
    url = reverse(url_name, args=[world.assessment.pk])
    html = client.get(url).content.decode()
    assert f'active" aria-current="page" href="{url}">{tab}</a>' in html
    for name in ("assessments:results", "proposals:proposal", "assessments:activity"):
        assert f'href="{reverse(name, args=[world.assessment.pk])}"' in html
