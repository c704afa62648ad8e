"""Stored results are read and decoded once per process and change, never shown stale."""

from django.urls import reverse

import pytest

from assessments.models import AssessmentScore, Site, SiteScore
from assessments.services.assessments import site_update
from assessments.services.versioning import Actor
from tests.queries import page_and_sql

pytestmark = pytest.mark.django_db

ESTATE_READ = '"assessments_assessmentscore"."estate"'
RESULT_READ = '"assessments_sitescore"."result"'


@pytest.mark.parametrize(
    "page", ["assessments:results", "assessments:site-grid", "assessments:assessment-detail"]
)
def test_a_second_view_reads_no_stored_result_again(client, world, page):
    client.force_login(world.owner)
    url = reverse(page, args=[world.assessment.pk])
    first_html, first_sql = page_and_sql(client, url)
    again_html, again_sql = page_and_sql(client, url)
    assert ESTATE_READ in first_sql
    # Unchanged since this process read them: neither the estate nor a site's result is
    # fetched again, and the page is the same (the CSRF token and nonce aside).
    assert ESTATE_READ not in again_sql
    assert RESULT_READ not in again_sql
    assert len(again_html) == len(first_html)


def test_a_change_shows_at_once_after_the_results_were_kept(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.owner)
    url = reverse("assessments:results", args=[world.assessment.pk])
    before, _sql = page_and_sql(client, url)
    scored_before = AssessmentScore.objects.get(pk=world.assessment.pk).user_count
    hq = Site.objects.get(pk=world.hq.pk)
    with django_capture_on_commit_callbacks(execute=True):  # the rescore runs on commit
        site_update(
            site=hq,
            base_version=hq.version,
            changes={"users": hq.users + 700},
            actor=Actor.for_user(world.owner),
        )
    after, sql = page_and_sql(client, url)
    row = AssessmentScore.objects.get(pk=world.assessment.pk)
    assert row.user_count == scored_before + 700
    # The rescore wrote a new estate and site result: both are read again, and shown.
    assert ESTATE_READ in sql and RESULT_READ in sql
    assert f"{row.user_count:,}" in after or str(row.user_count) in after
    assert after != before


def test_a_result_rewritten_by_another_process_is_read_again(client, world):
    """Another host's rescore leaves this process's copy behind: its stamp tells."""
    client.force_login(world.owner)
    url = reverse("assessments:results", args=[world.assessment.pk])
    page_and_sql(client, url)
    score = SiteScore.objects.get(site=world.hq)
    result = score.result
    # The findings' wording as another host's release of the rules would store it.
    for finding in result["network"]["findings"]:
        finding["message"] = "Reworded elsewhere: " + finding["message"]
    SiteScore.objects.filter(pk=score.pk).update(
        result=result, inputs_key="0" * 32, scored_at=score.scored_at
    )
    html, sql = page_and_sql(client, url)
    assert RESULT_READ in sql
    assert "Reworded elsewhere: " in html


def test_a_process_keeps_a_bounded_number_of_sites_estates(monkeypatch):
    """Estates are forgotten least recently read first: a process's memory stays bounded."""
    from assessments.services import scores

    monkeypatch.setattr(scores, "ESTATE_SITES_KEPT", 5_000)
    for pk in range(1, 8):  # seven estates of 1,500 sites each, as their stamps say
        stamp = (pk, "v", "k", 1_500, 0, None, "")
        scores._keep_estate(10_000 + pk, stamp, {"sites": pk}, object())
    kept = dict(scores._estates)
    assert sum(stamp[3] for stamp, _estate, _decoded in kept.values()) <= 5_000
    assert 10_007 in kept and 10_001 not in kept
