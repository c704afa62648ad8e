"""The live grid and the questionnaire score the assessment once per autosave, summary included."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from assessments import engine_io
from assessments.forms import GridRowForm, QuestionnaireForm
from assessments.models import AssessmentScore
from tests.factories import SiteFactory, form_data

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def scorings(monkeypatch):
    """The assessments scored by the engine during a test, one entry per scoring."""
    calls = []
    real = engine_io.score_assessment

    def score_assessment(data, *options):
        calls.append(data.title)
        return real(data, *options)

    monkeypatch.setattr(engine_io, "score_assessment", score_assessment)
    return calls


def autosave(world, client, capture, **cells):
    """Post a grid row as the page's autosave does, running what waits for the commit."""
    site = world.hq
    site.refresh_from_db()  # the version the page shows now
    data = form_data(GridRowForm(instance=site, row=f"row-{site.pk}"), **cells)
    url = reverse("assessments:site-row-save", args=[world.assessment.pk, site.pk])
    # Counted with what runs on commit, as a real request runs it before it answers.
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        response = client.post(url, data, **HTMX)
    assert response.status_code == 200
    assert 'data-status="saved"' in response.content.decode() or not cells
    return response, len(queries)


def test_a_grid_autosave_scores_once_and_stores_the_summary(
    world, login, scorings, django_capture_on_commit_callbacks
):
    client = login(world.owner)
    response, _ = autosave(world, client, django_capture_on_commit_callbacks, users=900)
    assert 'data-status="saved"' in response.content.decode()
    assert scorings == [world.assessment.title]
    summary = AssessmentScore.objects.get(assessment=world.assessment)
    assert summary.user_count == 900 + 160  # the summary holds the saved row


def test_a_grid_autosave_costs_the_same_queries_for_a_bigger_estate(
    world, login, django_capture_on_commit_callbacks
):
    client = login(world.owner)
    autosave(world, client, django_capture_on_commit_callbacks, users=899)  # session warmed
    _, small = autosave(world, client, django_capture_on_commit_callbacks, users=900)
    for i in range(20):
        SiteFactory(assessment=world.assessment, name=f"Depot {i}", country="DE")
    _, big = autosave(world, client, django_capture_on_commit_callbacks, users=901)
    assert big == small
    # Session, user and membership, the row read, locked, checked, saved and logged, then
    # one scoring (sites, circuits, the partner's country facts) whose result is both shown
    # and stored: 25. Scoring again for the summary after commit cost 4 more.
    assert small <= 25


def test_an_unchanged_autosave_scores_once_and_writes_nothing(
    world, login, scorings, django_capture_on_commit_callbacks
):
    client = login(world.owner)
    response, _ = autosave(world, client, django_capture_on_commit_callbacks)
    assert 'data-status="unchanged"' in response.content.decode()
    assert scorings == [world.assessment.title]
    assert not AssessmentScore.objects.filter(assessment=world.assessment).exists()


def test_a_questionnaire_autosave_scores_once_and_stores_the_summary(
    world, login, scorings, django_capture_on_commit_callbacks
):
    assessment = world.assessment
    data = form_data(QuestionnaireForm(instance=assessment), voice_staff_fte=2)
    url = reverse("assessments:questionnaire-autosave", args=[assessment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.owner).post(url, data, **HTMX)
    assert response.status_code == 200
    assert scorings == [assessment.title]
    assert AssessmentScore.objects.filter(assessment=assessment).exists()


@pytest.mark.parametrize("action", ["site-clone", "site-delete"])
def test_cloning_or_removing_a_row_scores_once(
    world, login, scorings, django_capture_on_commit_callbacks, action
):
    url = reverse(f"assessments:{action}", args=[world.assessment.pk, world.branch.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.owner).post(url, {"version": world.branch.version}, **HTMX)
    assert response.status_code == 200
    assert scorings == [world.assessment.title]
    expected = 3 if action == "site-clone" else 1
    assert AssessmentScore.objects.get(assessment=world.assessment).site_count == expected
