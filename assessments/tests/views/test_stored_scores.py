"""Stored per-site results stay equal to scoring the whole assessment, whatever the edits."""

import json
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments import engine_io
from assessments.models import Assessment, AssessmentScore, Site, SiteScore
from assessments.services import scores
from assessments.services.assessments import (
    assessment_update,
    site_clone,
    site_create,
    site_delete,
    site_update,
)
from assessments.services.versioning import Actor
from tenancy.services.countries import country_override_save
from tests.factories import AssessmentFactory, CircuitFactory, SiteFactory

NAMES = ["Berlin", "Paris", "Lyon", "Oslo", "Madrid"]

edits = st.one_of(
    st.tuples(st.just("users"), st.integers(0, 3), st.integers(0, 2_000)),
    st.tuples(st.just("loss"), st.integers(0, 3), st.sampled_from([None, 0.1, 3.0])),
    st.tuples(st.just("country"), st.integers(0, 3), st.sampled_from(["DE", "FR", "IN", "JP"])),
    st.tuples(st.just("circuits"), st.integers(0, 3), st.sampled_from([5, 100, 1_000])),
    st.tuples(st.just("rename"), st.integers(0, 3), st.sampled_from(NAMES)),
    st.tuples(st.just("hub"), st.integers(0, 3), st.integers(0, 3)),
    st.tuples(st.just("unhub"), st.integers(0, 3), st.just(0)),
    st.tuples(st.just("add"), st.sampled_from(NAMES), st.integers(0, 3)),
    st.tuples(st.just("clone"), st.integers(0, 3), st.just(0)),
    st.tuples(st.just("delete"), st.integers(0, 3), st.just(0)),
    st.tuples(st.just("answer"), st.sampled_from(["low", "high", "unknown"]), st.just(0)),
    st.tuples(st.just("survive"), st.sampled_from(["yes", "no", "unknown"]), st.just(0)),
    st.tuples(st.just("country_facts"), st.sampled_from(["DE", "FR"]), st.sampled_from(["", "no"])),
)


def _plain(value):
    """As a JSON column gives it back."""
    return json.loads(json.dumps(value))


def assert_stored_equals_full_scoring(assessment: Assessment) -> None:
    assessment = Assessment.objects.select_related("customer").get(pk=assessment.pk)
    full = engine_io.score(assessment).to_dict()
    row = AssessmentScore.objects.get(assessment=assessment)
    assert row.updating_since is None
    sites = _plain(full.pop("sites"))
    assert row.estate == _plain(full)
    names = dict(Site.objects.filter(assessment=assessment).values_list("pk", "name"))
    stored = {
        names[site_id]: result
        for site_id, result in SiteScore.objects.filter(assessment=assessment).values_list(
            "site_id", "result"
        )
    }
    assert stored == {s["site"]: s for s in sites}
    assert row.site_count == len(sites)


def _apply(assessment, actor, edit) -> None:
    kind, a, b = edit
    sites = list(Site.objects.filter(assessment=assessment))
    site = sites[a % len(sites)] if sites and isinstance(a, int) else None
    taken = {s.name.lower() for s in sites}
    if kind == "add":
        if a.lower() not in taken:
            hub = sites[b % len(sites)].name if sites and b < 2 else ""
            site_create(
                assessment=assessment,
                fields={"name": a, "country": "FR", "users": 40, "backhaul_hub": hub},
                circuits=[{"role": "primary", "kind": "dia", "down_mbps": 50, "up_mbps": 10}],
                actor=actor,
            )
        return
    if kind in {"answer", "survive"}:
        field = "risk_tolerance" if kind == "answer" else "survivability_required"
        assessment.refresh_from_db()
        assessment_update(
            assessment=assessment,
            base_version=assessment.version,
            changes={field: a},
            actor=actor,
        )
        return
    if kind == "country_facts":
        country_override_save(
            organisation=assessment.organisation,
            country=a,
            facts={"operator_connect": b},
            actor=actor,
        )
        return
    if site is None:
        return
    changes: dict = {}
    circuits = None
    if kind == "users":
        changes = {"users": b}
    elif kind == "loss":
        changes = {"client_loss_pct": b}
    elif kind == "country":
        changes = {"country": b}
    elif kind == "circuits":
        circuits = [{"role": "primary", "kind": "broadband", "down_mbps": b, "up_mbps": b / 5}]
    elif kind == "rename":
        if b.lower() in taken:
            return
        changes = {"name": b}
    elif kind == "hub":
        hub = sites[b % len(sites)]
        # As the forms allow: a hub on its own line, not the site itself, not a hub itself.
        if (
            hub.pk == site.pk
            or hub.backhaul_hub
            or any(s.backhaul_hub.lower() == site.name.lower() for s in sites)
        ):
            return
        changes = {"backhaul_hub": hub.name}
    elif kind == "unhub":
        changes = {"backhaul_hub": ""}
    elif kind == "clone":
        site_clone(site=site, actor=actor)
        return
    elif kind == "delete":
        site_delete(site=site, base_version=site.version, actor=actor)
        return
    site_update(
        site=site, base_version=site.version, changes=changes, circuits=circuits, actor=actor
    )


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(edits, min_size=1, max_size=8), st.booleans())
def test_any_edits_leave_the_stored_results_equal_to_a_full_scoring(
    django_capture_on_commit_callbacks, steps, in_worker
):
    assessment = AssessmentFactory()
    actor = Actor.for_user(assessment.owner)
    for name, users in (("Hamburg", 300), ("Munich", 80), ("Köln", 25)):
        site = SiteFactory(assessment=assessment, name=name, users=users, client_loss_pct=0.2)
        CircuitFactory(site=site)
    scores.assessment_rescore(assessment_id=assessment.pk)
    # ``in_worker``: a change reaching more than one site goes to the worker (run at
    # once by the tests' task backend) rather than being rescored in the request.
    with mock.patch.object(scores, "INLINE_SITES", 1 if in_worker else scores.INLINE_SITES):
        for edit in steps:
            with django_capture_on_commit_callbacks(execute=True):
                _apply(assessment, actor, edit)
            assert_stored_equals_full_scoring(assessment)


@pytest.mark.django_db
def test_an_answer_at_a_large_estate_shows_updating_until_the_worker_is_done(
    world, login, django_capture_on_commit_callbacks, monkeypatch
):
    from django.urls import reverse

    from assessments.forms import QuestionnaireForm
    from tests.factories import form_data

    assessment = world.assessment
    scores.assessment_rescore(assessment_id=assessment.pk)
    monkeypatch.setattr(scores, "INLINE_SITES", 1)
    data = form_data(QuestionnaireForm(instance=assessment), risk_tolerance="high")
    url = reverse("assessments:questionnaire-autosave", args=[assessment.pk])
    client = login(world.owner)
    # The worker's task is queued when the save commits (not run here: the tests' task
    # backend would run it at once).
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(url, data, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    # The figures from before the answer are not shown as current: the panel says it is
    # updating, how far, and polls for the rest.
    assert "data-updating" in page and "1 of 2 sites" in page
    assert reverse("assessments:live-summary", args=[assessment.pk]) in page
    assert len(queued) == 1
    polled = client.get(reverse("assessments:live-summary", args=[assessment.pk]))
    assert "data-updating" in polled.content.decode()
    scores.assessment_rescore_in_worker(assessment_id=assessment.pk)
    done = client.get(reverse("assessments:live-summary", args=[assessment.pk])).content.decode()
    assert "data-updating" not in done
    assert_stored_equals_full_scoring(assessment)


def _queries_of_an_autosave(client, assessment, site, users: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from assessments.forms import GridRowForm
    from tests.factories import form_data

    site.refresh_from_db()
    data = form_data(GridRowForm(instance=site, row=f"row-{site.pk}"), users=users)
    url = reverse("assessments:site-row-save", args=[assessment.pk, site.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert b'data-status="saved"' in response.content
    return len(queries)


@pytest.mark.django_db
def test_an_autosave_costs_the_same_queries_at_5_and_at_200_sites(client):
    from assessments.models import Circuit

    assessment = AssessmentFactory()
    client.force_login(assessment.owner)

    def add(start: int, n: int) -> None:
        sites = Site.objects.bulk_create(
            Site(assessment=assessment, name=f"Site {i}", country="DE", users=30, position=i)
            for i in range(start, start + n)
        )
        Circuit.objects.bulk_create(
            Circuit(site=s, role="primary", kind="dia", down_mbps=100, up_mbps=20) for s in sites
        )

    add(0, 5)
    scores.assessment_rescore(assessment_id=assessment.pk)
    site = Site.objects.get(assessment=assessment, name="Site 2")
    _queries_of_an_autosave(client, assessment, site, 40)  # session and caches warmed
    small = _queries_of_an_autosave(client, assessment, site, 41)
    add(5, 195)
    scores.assessment_rescore(assessment_id=assessment.pk)
    large = _queries_of_an_autosave(client, assessment, site, 42)
    assert large == small, f"{small} queries at 5 sites, {large} at 200"
    # The saved site's stored result follows the save.
    assert SiteScore.objects.get(site=site).users == 42
