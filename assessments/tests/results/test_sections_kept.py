"""The results page's summary and a site's detail are rendered once per stored result."""

from django.urls import reverse

import pytest

from assessments.models import Site
from assessments.services.assessments import site_update
from assessments.services.versioning import Actor
from assessments.views import results
from imports.models import MeasurementImport
from imports.models.measurements import LatencyBasis
from imports.tests.test_measurements import nat_file, upload
from tests.queries import page_and_sql

pytestmark = pytest.mark.django_db

# The readiness chart's query: every site's name and score (only the summary reads it).
CHART_ROWS = '"assessments_site"."name" AS "site__name"'


def _counting(monkeypatch, name: str) -> list[int]:
    calls: list[int] = []
    original = getattr(results, name)

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(results, name, counted)
    return calls


def test_a_second_view_renders_neither_the_summary_nor_the_first_detail(client, world, monkeypatch):
    client.force_login(world.owner)
    url = reverse("assessments:results", args=[world.assessment.pk])
    cards = _counting(monkeypatch, "_card")
    first, first_sql = page_and_sql(client, url)
    again, again_sql = page_and_sql(client, url)
    assert CHART_ROWS in first_sql and CHART_ROWS not in again_sql
    assert len(cards) == 1
    # The kept sections are the ones rendered: the page is the same but for its tokens.
    assert len(again) == len(first)
    assert 'aria-labelledby="rec-title"' in again and "What to fix" in again
    # Opening the site's detail on demand uses the same kept section.
    detail = client.get(
        reverse("assessments:site-result", args=[world.assessment.pk, world.hq.pk]),
        headers={"HX-Request": "true"},
    ).content.decode()
    assert len(cards) == 1
    assert detail.strip() and detail in again


def test_a_renamed_site_shows_its_new_name_in_the_summary_at_once(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.owner)
    url = reverse("assessments:results", args=[world.assessment.pk])
    before, _sql = page_and_sql(client, url)
    assert "Lyon Office" in before
    branch = Site.objects.get(pk=world.branch.pk)
    with django_capture_on_commit_callbacks(execute=True):
        site_update(
            site=branch,
            base_version=branch.version,
            changes={"name": "Lyon Part-Dieu"},
            actor=Actor.for_user(world.owner),
        )
    after, sql = page_and_sql(client, url)
    assert CHART_ROWS in sql  # rendered anew from the rescored estate
    summary = after.split('id="sites-title"')[0]
    assert "Lyon Part-Dieu" in summary and "Lyon Office" not in summary


def test_a_latency_note_follows_its_run_though_the_site_was_not_rescored(client, world):
    client.force_login(world.owner)
    url = reverse("assessments:results", args=[world.assessment.pk])
    upload(client, world, nat_file("quality_check_results.csv"))
    note = "The Teams tool reported a latency of 80.419"
    assert note in client.get(url).content.decode()
    # The run's reading corrected in place: the site's figures (and its result) stay.
    MeasurementImport.objects.filter(site=world.hq).update(latency_basis=LatencyBasis.ROUND_TRIP)
    assert note not in client.get(url).content.decode()


def test_a_process_keeps_a_bounded_number_of_sections():
    kept = results._details_kept
    for n in range(kept.limit + 50):
        kept.get(("site", n), lambda n=n: f"<p>{n}</p>")
    assert len(kept) == kept.limit
    assert kept.get(("site", kept.limit + 49), lambda: "anew") == f"<p>{kept.limit + 49}</p>"
    assert kept.get(("site", 0), lambda: "anew") == "anew"


def test_a_sites_line_follows_its_site_at_once(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.owner)
    url = reverse("assessments:results", args=[world.assessment.pk])
    line = f'id="result-{world.branch.pk}"'
    before, _sql = page_and_sql(client, url)
    assert "· 160 users" in before.split(line, 1)[1].split("</summary>", 1)[0]
    page_and_sql(client, url)  # read from the kept line
    branch = Site.objects.get(pk=world.branch.pk)
    with django_capture_on_commit_callbacks(execute=True):
        site_update(
            site=branch,
            base_version=branch.version,
            changes={"users": 240},
            actor=Actor.for_user(world.owner),
        )
    after, _sql = page_and_sql(client, url)
    assert "· 240 users" in after.split(line, 1)[1].split("</summary>", 1)[0]
