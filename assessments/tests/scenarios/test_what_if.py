"""What-if scenarios: changes scored beside the stored answers, never saved until promoted."""

from django.urls import reverse

import pytest

from assessments.models import Change, Scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(world):
    return Scenario.objects.create(assessment=world.assessment, name="Backups", created_by=None)


def _add(client, world, scenario, target, value, sites=()):
    url = reverse("assessments:scenario-change-add", args=[world.assessment.pk, scenario.pk])
    return client.post(url, {"target": target, "value": value, "sites": [s.pk for s in sites]})


def test_creating_a_scenario_opens_it(client, world):
    client.force_login(world.owner)
    response = client.post(
        reverse("assessments:scenarios", args=[world.assessment.pk]), {"name": "Plan B"}
    )
    scenario = Scenario.objects.get(name="Plan B")
    assert response.url == reverse("assessments:scenario", args=[world.assessment.pk, scenario.pk])


def test_a_site_change_moves_only_the_scenario_side(client, world, scenario):
    world.branch.client_loss_pct = 5
    world.branch.save()
    client.force_login(world.owner)
    _add(client, world, scenario, "sites:client_loss_pct", "0.1", [world.branch])
    page = client.get(reverse("assessments:scenario", args=[world.assessment.pk, scenario.pk]))
    assert page.status_code == 200
    rows = {r["site"].name: r for r in page.context["rows"]}
    assert rows["Lyon Office"]["delta"] > 0
    assert rows["Stuttgart HQ"]["delta"] == 0
    world.branch.refresh_from_db()
    assert world.branch.client_loss_pct == 5  # the stored answer is untouched
    assert "Client loss (%)" in page.content.decode() and "Lyon Office" in page.content.decode()


def test_an_organisation_change_moves_the_recommendation(client, world, scenario):
    world.assessment.operating_model = "product"
    world.assessment.voice_skills = "none"
    world.assessment.save()
    client.force_login(world.owner)
    for target, value in [
        ("organisation:operating_model", "platform"),
        ("organisation:voice_skills", "dedicated"),
        ("organisation:routing_complexity", "complex"),
        ("organisation:multi_carrier", "yes"),
        ("organisation:pbx_coexistence", "yes"),
    ]:
        _add(client, world, scenario, target, value)
    page = client.get(reverse("assessments:scenario", args=[world.assessment.pk, scenario.pk]))
    # Calling Plan markets with operator coverage unknown: a service model, then DR.
    assert page.context["current"].recommendation.model == "calling_plans"
    assert page.context["what_if"].recommendation.model == "direct_routing"


def test_a_bad_value_is_refused_with_a_message(client, world, scenario):
    client.force_login(world.owner)
    response = _add(client, world, scenario, "sites:client_loss_pct", "-4")
    assert response.status_code == 302
    scenario.refresh_from_db()
    assert scenario.changes == []
    page = client.get(response.url)
    assert "That change was not added" in page.content.decode()


def test_promoting_writes_the_changes_through_the_activity_log(client, world, scenario):
    client.force_login(world.owner)
    _add(client, world, scenario, "sites:lte_backup", "yes")
    _add(client, world, scenario, "organisation:timeline", "urgent")
    response = client.post(
        reverse("assessments:scenario-promote", args=[world.assessment.pk, scenario.pk]),
        {"confirmed": "yes"},
    )
    assert response.status_code == 302
    world.hq.refresh_from_db()
    world.branch.refresh_from_db()
    world.assessment.refresh_from_db()
    assert world.hq.lte_backup == world.branch.lte_backup == "yes"
    assert world.assessment.timeline == "urgent"
    assert (
        Change.objects.filter(assessment=world.assessment, fields__has_key="lte_backup").count()
        == 2
    )
    scenario.refresh_from_db()
    assert scenario.promoted_at is not None


def test_removing_a_change(client, world, scenario):
    client.force_login(world.owner)
    _add(client, world, scenario, "sites:qos", "end_to_end")
    client.post(
        reverse("assessments:scenario-change-remove", args=[world.assessment.pk, scenario.pk]),
        {"index": "0"},
    )
    scenario.refresh_from_db()
    assert scenario.changes == []


def test_another_organisations_scenario_is_404(client, world, scenario):
    client.force_login(world.outsider)
    url = reverse("assessments:scenario", args=[world.assessment.pk, scenario.pk])
    assert client.get(url).status_code == 404
