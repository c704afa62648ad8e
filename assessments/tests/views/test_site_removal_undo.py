"""A site removed from the grid comes back as it was: answers, circuits, measurements, place."""

from django.urls import reverse

import pytest

from assessments.models import Change, Site, Undo
from imports.models import MeasurementImport
from tests.factories import SiteFactory, messages_of

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _remove(client, world, site):
    url = reverse("assessments:site-delete", args=[world.assessment.pk, site.pk])
    return client.post(url, {"version": str(site.version)}, **HTMX)


def _undo_url(world, undo):
    return reverse("assessments:undo", args=[world.assessment.pk, undo.pk])


def test_a_removed_site_is_offered_for_undo_and_comes_back_whole(world, login):
    branch = world.branch
    branch.client_loss_pct = 0.4
    branch.qos = "end_to_end"
    branch.save()
    MeasurementImport.objects.create(
        site=branch, segment="client", source="manual", loss_p95_pct=0.4, created_by_label="Alice"
    )
    SiteFactory(
        assessment=world.assessment, name="Lyon Annex", country="FR", backhaul_hub="Lyon Office"
    )
    client = login(world.owner)
    response = _remove(client, world, branch)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="removed-sites"' in body and "Site “Lyon Office” removed" in body
    assert not Site.objects.filter(pk=branch.pk).exists()
    assert Site.objects.get(name="Lyon Annex").backhaul_hub == ""
    grid = client.get(reverse("assessments:site-grid", args=[world.assessment.pk]))
    assert "Undo" in grid.content.decode() and "Lyon Office" in grid.content.decode()

    undo = Undo.objects.get()
    back = client.post(_undo_url(world, undo), follow=True)
    assert "“Lyon Office” is back, as it was." in messages_of(back)
    restored = Site.objects.get(pk=branch.pk)  # the same id: scenarios naming it still apply
    assert (restored.qos, restored.client_loss_pct, restored.position) == (
        "end_to_end",
        0.4,
        branch.position,
    )
    assert list(restored.circuits.values_list("role", "down_mbps", "up_mbps")) == [
        ("primary", 200, 40)
    ]
    assert restored.measurement_imports.get().loss_p95_pct == 0.4
    assert Site.objects.get(name="Lyon Annex").backhaul_hub == "Lyon Office"
    names = list(world.assessment.sites.values_list("name", flat=True))
    assert names.index("Lyon Office") == 1  # its place in the grid, after the HQ
    assert Change.objects.filter(action="restore", object_label="Lyon Office").exists()
    assert back.context["removed"] == []  # no longer offered


def test_undo_is_refused_when_another_site_took_the_name(world, login):
    client = login(world.owner)
    _remove(client, world, world.branch)
    SiteFactory(assessment=world.assessment, name="LYON OFFICE", country="FR")
    page = client.post(_undo_url(world, Undo.objects.get()), follow=True)
    assert "Another site is called “Lyon Office” now" in " ".join(messages_of(page))
    assert Site.objects.filter(assessment=world.assessment).count() == 2


def test_an_outsider_cannot_take_a_removal_back(world, login, client):
    _remove(login(world.owner), world, world.branch)
    undo = Undo.objects.get()
    client.force_login(world.outsider)
    assert client.post(_undo_url(world, undo)).status_code == 404
    assert not Site.objects.filter(pk=world.branch.pk).exists()
