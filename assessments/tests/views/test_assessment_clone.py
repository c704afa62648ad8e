"""Cloning a whole assessment as the start of a new one."""

from django.urls import reverse

import pytest

from assessments.models import Assessment, Change, Circuit

pytestmark = pytest.mark.django_db


def test_clone_copies_answers_sites_and_circuits_into_a_new_draft(client, world):
    world.assessment.operating_model = "platform"
    world.assessment.status = "submitted"
    world.assessment.save()
    world.hq.client_loss_pct = 0.3
    world.hq.save()
    client.force_login(world.teammate)
    url = reverse("assessments:assessment-clone", args=[world.assessment.pk])
    page = client.get(url)
    assert "Rollout 2027 (copy)" in page.content.decode()
    response = client.post(url, {"customer": world.customer.pk, "title": "Rollout 2028"})
    copy = Assessment.objects.get(title="Rollout 2028")
    assert response.url == reverse("assessments:assessment-detail", args=[copy.pk])
    assert copy.status == "draft" and copy.owner == world.teammate
    assert copy.operating_model == "platform"
    assert sorted(copy.sites.values_list("name", flat=True)) == ["Lyon Office", "Stuttgart HQ"]
    assert copy.sites.get(name="Stuttgart HQ").client_loss_pct == 0.3
    assert Circuit.objects.filter(site__assessment=copy).count() == 3
    assert Change.objects.filter(assessment=copy, action="clone").exists()
    # The original is untouched.
    assert world.assessment.sites.count() == 2
    assert Circuit.objects.filter(site__assessment=world.assessment).count() == 3


def test_clone_cannot_pick_another_organisations_customer(client, world):
    client.force_login(world.owner)
    url = reverse("assessments:assessment-clone", args=[world.assessment.pk])
    response = client.post(url, {"customer": world.other_customer.pk, "title": "X"})
    assert response.status_code == 200
    assert "customer" in response.context["form"].errors
    assert not Assessment.objects.filter(title="X").exists()


def test_an_assessment_with_issued_proposals_is_kept_with_a_reason(client, world):
    from proposals.services import proposal_issue

    proposal_issue(assessment=world.assessment, user=world.owner)
    client.force_login(world.owner)
    url = reverse("assessments:assessment-delete", args=[world.assessment.pk])
    assert "cannot be deleted" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 409
    assert Assessment.objects.filter(pk=world.assessment.pk).exists()
