"""The dashboard lists the assessments a member owns, or the organisation's, by status."""

from django.urls import reverse

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from assessments.models import Status
from tests.factories import AssessmentFactory

URL = reverse("assessments:dashboard")


def test_mine_shows_the_owners_assessment_with_its_site_count(world, login):
    response = login(world.owner).get(URL)
    assert response.status_code == 200
    assertContains(response, "Contoso Manufacturing")
    assertContains(response, "Rollout 2027")
    assertContains(response, '<td class="text-end">2</td>', html=True)
    assert [a.pk for a in response.context["page"].object_list] == [world.assessment.pk]


def test_mine_hides_a_teammates_assessment_but_all_shows_it(world, login):
    theirs = AssessmentFactory(
        customer=world.customer, owner=world.teammate, title="Teammate's assessment"
    )
    client = login(world.owner)
    assertNotContains(client.get(URL), "Teammate&#x27;s assessment")
    response = client.get(URL, {"scope": "all"})
    assertContains(response, "Teammate&#x27;s assessment")
    assertContains(response, "Every assessment of Northwind Voice Ltd")
    assert {a.pk for a in response.context["page"].object_list} == {
        world.assessment.pk,
        theirs.pk,
    }


def test_status_filter_shows_only_that_status_and_counts_each(world, login):
    AssessmentFactory(customer=world.customer, owner=world.owner, status=Status.WORKSHOP)
    AssessmentFactory(customer=world.customer, owner=world.owner, status=Status.WORKSHOP)
    response = login(world.owner).get(URL, {"status": "workshop"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 2
    assert all(a.status == "workshop" for a in response.context["page"].object_list)
    counts = {value: n for value, _label, n in response.context["statuses"]}
    assert counts["draft"] == 1
    assert counts["workshop"] == 2
    assert counts["submitted"] == 0
    assert response.context["total"] == 3


def test_an_unknown_status_filter_shows_everything(world, login):
    response = login(world.owner).get(URL, {"status": "bogus"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 1


def test_empty_status_says_to_pick_another(world, login):
    response = login(world.owner).get(URL, {"status": "submitted"})
    assertContains(response, "No assessments with this status")


def test_a_member_without_assessments_is_told_how_to_start(world, login):
    response = login(world.teammate).get(URL)
    assertContains(response, "You have no assessments yet")
    assertContains(response, "Start your first assessment")


def test_an_organisation_without_assessments_says_so(world, login):
    world.assessment.delete()
    response = login(world.manager).get(URL, {"scope": "all"})
    assertContains(response, "Your organisation has no assessments yet")


def test_the_page_shows_the_partners_brand(world, login):
    response = login(world.owner).get(URL)
    assertContains(response, "Northwind Voice Ltd")
    assertContains(response, reverse("tenancy:brand-css", args=["northwind"]))


def test_pages_paginate_at_25(world, login):
    AssessmentFactory.create_batch(26, customer=world.customer, owner=world.owner)
    client = login(world.owner)
    first = client.get(URL)
    assert len(first.context["page"].object_list) == 25
    second = client.get(URL, {"page": 2})
    assert len(second.context["page"].object_list) == 2


@pytest.mark.parametrize("page", ["999", "abc", "-1"])
def test_an_odd_page_number_never_fails(world, login, page):
    assert login(world.owner).get(URL, {"page": page}).status_code == 200


def test_a_user_without_an_organisation_gets_403(db, client, django_user_model):
    loner = django_user_model.objects.create_user("loner", password="x-very-long-pass")
    client.force_login(loner)
    assert client.get(URL).status_code == 403
