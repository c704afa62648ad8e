"""Promoting a scenario shows exactly what changes and asks first; it can be taken back."""

from django.urls import reverse

import pytest

from assessments.models import Scenario, Site, Undo
from assessments.services.assessments import site_update
from assessments.services.versioning import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(world):
    return Scenario.objects.create(
        assessment=world.assessment,
        name="Better LAN",
        changes=[
            {"scope": "sites", "field": "wifi", "value": "enterprise_5ghz", "sites": []},
            {"scope": "organisation", "field": "timeline", "value": "urgent", "sites": []},
            {
                "scope": "circuits",
                "field": "primary",
                "value": {"kind": "dia", "down_mbps": 500, "up_mbps": 100},
                "sites": [world.branch.pk],
            },
        ],
    )


def _promote_url(world, scenario):
    return reverse("assessments:scenario-promote", args=[world.assessment.pk, scenario.pk])


def test_promote_lists_field_old_new_and_sites_before_changing_anything(login, world, scenario):
    client = login(world.owner)
    for page in (
        client.get(_promote_url(world, scenario)),
        client.post(_promote_url(world, scenario)),
    ):
        assert page.status_code == 200
        lines = {(p.field, p.old, p.new, tuple(p.sites)) for p in page.context["plan"]}
        wifi = ("Wi-Fi", "Don't know", "Managed, 5 GHz with WMM/QoS")
        assert (*wifi, ("Stuttgart HQ", "Lyon Office")) in lines
        assert ("When must calling go live?", "Don't know", "Within 3 months", ()) in lines
        lines_row = next(line for line in lines if line[0] == "Internet lines")
        assert "200" in lines_row[1] and "500" in lines_row[2] and lines_row[3] == ("Lyon Office",)
    world.branch.refresh_from_db()
    assert world.branch.wifi != "enterprise_5ghz"  # asking changed nothing
    assert not Undo.objects.exists()


def test_promote_confirmed_then_undone_puts_every_answer_back(login, world, scenario):
    before_hq = Site.objects.get(pk=world.hq.pk).wifi
    before_lines = list(world.branch.circuits.values_list("down_mbps", flat=True))
    client = login(world.owner)
    client.post(_promote_url(world, scenario), {"confirmed": "yes"})
    world.branch.refresh_from_db()
    assert world.branch.wifi == "enterprise_5ghz"
    assert list(world.branch.circuits.values_list("down_mbps", flat=True)) == [500]
    undo = Undo.objects.get(kind="promote")
    page = client.get(reverse("assessments:scenario", args=[world.assessment.pk, scenario.pk]))
    assert "Undo the promotion" in page.content.decode()

    back = client.post(
        reverse("assessments:undo", args=[world.assessment.pk, undo.pk]), follow=True
    )
    assert "the answers are as they were" in back.content.decode()
    world.branch.refresh_from_db()
    world.assessment.refresh_from_db()
    assert Site.objects.get(pk=world.hq.pk).wifi == before_hq
    assert world.assessment.timeline != "urgent"
    assert list(world.branch.circuits.values_list("down_mbps", flat=True)) == before_lines
    scenario.refresh_from_db()
    assert scenario.promoted_at is None
    again = client.post(
        reverse("assessments:undo", args=[world.assessment.pk, undo.pk]), follow=True
    )
    assert "taken back already" in again.content.decode()


def test_undo_is_refused_when_someone_changed_a_promoted_answer_since(login, world, scenario):
    client = login(world.owner)
    client.post(_promote_url(world, scenario), {"confirmed": "yes"})
    branch = Site.objects.get(pk=world.branch.pk)
    site_update(
        site=branch,
        base_version=branch.version,
        changes={"wifi": "unmanaged"},
        actor=Actor.for_user(world.teammate),
    )
    undo = Undo.objects.get(kind="promote")
    page = client.post(
        reverse("assessments:undo", args=[world.assessment.pk, undo.pk]), follow=True
    )
    assert "Not taken back: Wi-Fi changed since the promotion" in page.content.decode()
    world.hq.refresh_from_db()
    world.assessment.refresh_from_db()
    assert world.hq.wifi == "enterprise_5ghz"  # nothing half-undone
    assert world.assessment.timeline == "urgent"
    undo.refresh_from_db()
    assert undo.undone_at is None


def test_a_site_added_by_a_scenario_is_created_on_promote_and_removed_on_undo(login, world):
    scenario = Scenario.objects.create(
        assessment=world.assessment,
        name="Madrid",
        changes=[
            {
                "scope": "new_site",
                "field": "madrid office",
                "value": {
                    "name": "Madrid Office", "country": "ES", "users": 40,
                    "kind": "broadband", "down_mbps": 100, "up_mbps": 20,
                },
                "sites": [],
            }
        ],
    )  # fmt: skip
    client = login(world.owner)
    plan = client.get(_promote_url(world, scenario)).context["plan"]
    assert [(p.field, p.sites) for p in plan] == [("New site", ["Madrid Office"])]
    client.post(_promote_url(world, scenario), {"confirmed": "yes"})
    madrid = Site.objects.get(name="Madrid Office")
    assert madrid.users == 40 and madrid.circuits.get().down_mbps == 100
    undo = Undo.objects.get(kind="promote")
    client.post(reverse("assessments:undo", args=[world.assessment.pk, undo.pk]))
    assert not Site.objects.filter(name="Madrid Office").exists()
