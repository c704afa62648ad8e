"""Staff and customer pages call the same sites measured: any loss or round trip figure."""

import re

from django.urls import reverse

import pytest

from assessments.models import Site

pytestmark = pytest.mark.django_db


def test_a_site_measured_by_its_round_trip_only_counts_as_measured_on_the_overview(world, client):
    Site.objects.filter(pk=world.hq.pk).update(edge_rtt_ms=25)  # a round trip, no loss
    Site.objects.filter(pk=world.branch.pk).update(client_loss_pct=None, client_rtt_ms=None)
    client.force_login(world.owner)
    html = client.get(reverse("assessments:assessment-detail", args=[world.assessment.pk]))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.content.decode()))
    assert "1 / 2 Sites measured" in text
    hq_row = text.split("Stuttgart HQ", 1)[1].split("Lyon Office", 1)[0]
    assert "not yet" not in hq_row
    assert "not yet" in text.split("Lyon Office", 1)[1]


def test_the_customer_sees_the_same_site_measured(world, make_invite, client):
    Site.objects.filter(pk=world.hq.pk).update(edge_rtt_ms=25)
    Site.objects.filter(pk=world.branch.pk).update(client_loss_pct=None, client_rtt_ms=None)
    link = make_invite(assessment=world.assessment)
    html = client.get(link.url("measurements")).content.decode()
    hq_card = html.split("Stuttgart HQ", 1)[1].split("Lyon Office", 1)[0]
    assert "Change results" in hq_card and "Not measured yet" not in hq_card
    assert "Not measured yet" in html.split("Lyon Office", 1)[1]
