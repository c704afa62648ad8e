"""The live grid and the questionnaire rescore once per autosave, and only what it touched."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from assessments.forms import GridRowForm, QuestionnaireForm
from assessments.models import AssessmentScore
from assessments.services import scores
from tests.factories import SiteFactory, form_data

HTMX = {"HTTP_HX_REQUEST": "true"}


class Scorings(list):
    """The assessments scored (one entry per scoring), and which sites each time."""

    def __init__(self) -> None:
        super().__init__()
        self.sites: list[list[str]] = []


@pytest.fixture
def scorings(monkeypatch):
    """The assessments the engine scored sites of during a test, one entry per scoring."""
    calls = Scorings()
    real = scores.score_sites

    def score_sites(data, names, *options, **kwargs):
        calls.append(data.title)
        calls.sites.append(sorted(names))
        return real(data, names, *options, **kwargs)

    monkeypatch.setattr(scores, "score_sites", score_sites)
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
    # Once every site's result is stored, a save rescores the site it changed, only.
    autosave(world, client, django_capture_on_commit_callbacks, users=901)
    assert scorings.sites[-1] == [world.hq.name]
    assert AssessmentScore.objects.get(assessment=world.assessment).user_count == 901 + 160


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
    # one rescore of the site (the partner's country facts, the summary row locked, the
    # sites' names, the stored parts' keys and those not yet decoded by this process, the
    # site and its circuits, its row and the summary written) whose result is both shown
    # and stored. PostgreSQL adds the savepoints of the nested transactions.
    assert small <= 34


def test_an_unchanged_autosave_scores_nothing_and_writes_nothing(
    world, login, scorings, django_capture_on_commit_callbacks
):
    client = login(world.owner)
    autosave(world, client, django_capture_on_commit_callbacks, users=900)
    stored = AssessmentScore.objects.get(assessment=world.assessment).scored_at
    response, _ = autosave(world, client, django_capture_on_commit_callbacks)
    assert 'data-status="unchanged"' in response.content.decode()
    assert scorings == [world.assessment.title]  # the first save's; none for this one
    assert AssessmentScore.objects.get(assessment=world.assessment).scored_at == stored


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
