"""The what-if estate kept with its scenario: the same figures as a full scoring, never stale."""

from django.urls import reverse

import pytest

from assessments.models import Assessment, Scenario
from assessments.services import scenarios as services
from assessments.services.assessments import assessment_update, site_update
from assessments.services.versioning import Actor
from tenancy.models import CountryOverride

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(world):
    return Scenario.objects.create(assessment=world.assessment, name="Plan", created_by=None)


def _add(client, world, scenario, target, value, sites=()):
    url = reverse("assessments:scenario-change-add", args=[world.assessment.pk, scenario.pk])
    client.post(url, {"target": target, "value": value, "sites": [s.pk for s in sites]})


def _page(client, world, scenario):
    page = client.get(reverse("assessments:scenario", args=[world.assessment.pk, scenario.pk]))
    assert page.status_code == 200
    return page.context


def _assert_as_fully_scored(context, world, scenario):
    """The page's what-if figures are those of scoring the whole estate with the changes."""
    scenario.refresh_from_db()
    assessment = Assessment.objects.select_related("customer").get(pk=world.assessment.pk)
    current, full, _ = services.scenario_compare(assessment=assessment, scenario=scenario)
    shown = context["what_if"]
    assert shown.recommendation == full.recommendation
    assert shown.fits == full.fits
    assert shown.summary == full.summary
    assert shown.ownership == full.ownership
    assert context["counts_then"] == dict(full.grade_counts)
    assert context["current"].recommendation == current.recommendation
    assert context["current"].fits == current.fits
    by_name = {r.site: r for r in full.sites}
    assert {r["site"].name: r["then"] for r in context["rows"]} == by_name
    now = {r.site: r.network.score for r in current.sites}
    assert {r["site"].name: r["delta"] for r in context["rows"]} == {
        name: r.network.score - now[name] for name, r in by_name.items()
    }


def test_a_site_change_shows_the_figures_of_a_full_scoring(client, world, scenario):
    world.branch.client_loss_pct = 5
    world.branch.save()
    client.force_login(world.owner)
    _add(client, world, scenario, "sites:client_loss_pct", "0.1", [world.branch])
    _add(client, world, scenario, "sites:peak_concurrency", "90")  # the hub's load too
    context = _page(client, world, scenario)
    assert context["rows"][1]["delta"] != 0 or context["rows"][0]["delta"] != 0
    _assert_as_fully_scored(context, world, scenario)


def test_an_organisation_change_shows_the_figures_of_a_full_scoring(client, world, scenario):
    world.assessment.operating_model = "product"
    world.assessment.voice_skills = "none"
    world.assessment.save()
    client.force_login(world.owner)
    _add(client, world, scenario, "organisation:operating_model", "platform")
    _add(client, world, scenario, "organisation:voice_skills", "dedicated")
    context = _page(client, world, scenario)
    assert context["what_if"].fits != context["current"].fits
    _assert_as_fully_scored(context, world, scenario)


def test_a_second_view_reads_the_kept_estate(client, world, scenario, monkeypatch):
    client.force_login(world.owner)
    _add(client, world, scenario, "sites:qos", "end_to_end")
    first = _page(client, world, scenario)

    def scored_again(*args, **kwargs):
        raise AssertionError("the whole estate was scored again")

    monkeypatch.setattr(services, "_score_outcome", scored_again)
    second = _page(client, world, scenario)
    assert second["what_if"] == first["what_if"]


def test_a_changed_scenario_is_scored_again(client, world, scenario):
    client.force_login(world.owner)
    _add(client, world, scenario, "organisation:operating_model", "product")
    before = _page(client, world, scenario)["what_if"]
    _add(client, world, scenario, "organisation:operating_model", "platform")
    context = _page(client, world, scenario)
    assert context["what_if"].fits != before.fits
    _assert_as_fully_scored(context, world, scenario)


def test_an_assessment_changed_after_the_scenario_was_scored(
    client, world, scenario, django_capture_on_commit_callbacks
):
    client.force_login(world.owner)
    _add(client, world, scenario, "sites:qos", "end_to_end")
    before = _page(client, world, scenario)["what_if"]
    actor = Actor.for_user(world.owner)
    with django_capture_on_commit_callbacks(execute=True):
        site_update(
            site=world.branch, base_version=world.branch.version, changes={"users": 5}, actor=actor
        )
    context = _page(client, world, scenario)
    assert context["what_if"].summary.user_count != before.summary.user_count
    _assert_as_fully_scored(context, world, scenario)
    # An organisation answer the scenario leaves alone moves its outcome too.
    world.assessment.refresh_from_db()
    assert before.recommendation.reasons == context["what_if"].recommendation.reasons
    with django_capture_on_commit_callbacks(execute=True):
        assessment_update(
            assessment=world.assessment,
            base_version=world.assessment.version,
            changes={"timeline": "urgent"},
            actor=actor,
        )
    context = _page(client, world, scenario)
    assert context["what_if"].recommendation.reasons != before.recommendation.reasons
    _assert_as_fully_scored(context, world, scenario)


def test_a_country_fact_changed_after_the_scenario_was_scored(client, world, scenario):
    client.force_login(world.owner)
    _add(client, world, scenario, "sites:qos", "end_to_end")
    before = _page(client, world, scenario)["what_if"]
    CountryOverride.objects.create(
        organisation=world.org, country="DE", operator_connect="no", calling_plans="no"
    )
    CountryOverride.objects.create(
        organisation=world.org, country="FR", operator_connect="no", calling_plans="no"
    )
    context = _page(client, world, scenario)
    assert context["what_if"].recommendation != before.recommendation
    _assert_as_fully_scored(context, world, scenario)
