"""Assessments: start one, see its overview, change details and status, delete it."""

from django.urls import reverse

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from assessments.forms import AssessmentDetailsForm
from assessments.models import Assessment, Change, Customer, Site, Status
from tests.factories import SiteFactory, form_data, messages_of

CREATE = reverse("assessments:assessment-create")


def detail_url(assessment):
    return reverse("assessments:assessment-detail", args=[assessment.pk])


def test_create_with_a_new_customer_stores_both(world, login):
    response = login(world.teammate).post(
        CREATE, {"new_customer": "Woodgrove Retail", "country": "US", "title": "Rollout"}
    )
    assessment = Assessment.objects.get(title="Rollout")
    assertRedirects(response, detail_url(assessment), fetch_redirect_response=False)
    assert assessment.customer.name == "Woodgrove Retail"
    assert assessment.customer.organisation == world.org
    assert assessment.customer.country.code == "US"
    assert assessment.organisation == world.org
    assert assessment.owner == world.teammate
    assert assessment.status == Status.DRAFT
    assert assessment.version == 1
    [change] = Change.objects.filter(assessment=assessment)
    assert change.action == "create"
    assert change.user == world.teammate


def test_create_for_an_existing_customer_adds_no_customer(world, login):
    response = login(world.owner).post(
        CREATE, {"customer": world.customer.pk, "title": "Second look"}, follow=True
    )
    assertContains(response, "Assessment created. Start with the organisation questions.")
    assert Customer.objects.filter(organisation=world.org).count() == 1
    assert world.customer.assessments.count() == 2


def test_create_page_preselects_the_customer_from_the_link(world, login):
    response = login(world.owner).get(CREATE, {"customer": world.customer.pk})
    assert response.status_code == 200
    assertContains(response, f'<option value="{world.customer.pk}" selected>', html=False)


def test_create_without_any_customer_shows_the_error_and_saves_nothing(world, login):
    response = login(world.owner).post(CREATE, {"title": "Rollout"})
    assertContains(response, "Choose a customer or type the name of a new one.")
    assert Assessment.objects.filter(organisation=world.org).count() == 1


def test_create_with_both_customers_saves_nothing(world, login):
    response = login(world.owner).post(
        CREATE, {"customer": world.customer.pk, "new_customer": "Fresh Co", "title": "Rollout"}
    )
    assertContains(response, "Either choose a customer or type a new one, not both.")
    assert not Customer.objects.filter(name="Fresh Co").exists()
    assert Assessment.objects.filter(organisation=world.org).count() == 1


def test_create_with_a_bad_country_saves_no_customer(world, login):
    response = login(world.owner).post(
        CREATE, {"new_customer": "Fresh Co", "country": "Narnia", "title": "Rollout"}
    )
    assertContains(response, "is not a country")
    assert not Customer.objects.filter(name="Fresh Co").exists()


def test_detail_shows_the_overview(world, login):
    response = login(world.manager).get(detail_url(world.assessment))
    assert response.status_code == 200
    assertContains(response, "Contoso Manufacturing")
    assertContains(response, "Rollout 2027")
    assertContains(response, "owned by Alice Ames")
    assertContains(response, "Stuttgart HQ")
    assertContains(response, "Lyon Office")
    assertContains(response, "Primary 1000/1000")
    assertContains(response, "Backup 50/10")
    # Counted in the database, not from every site loaded into the page.
    assert response.context["figures"] == {"sites": 2, "users": 1010, "countries": 2, "measured": 0}
    assertContains(response, "0 of 30 answered")


def test_detail_counts_measured_sites(world, login):
    world.hq.client_loss_pct = 0.2
    world.hq.save()
    response = login(world.owner).get(detail_url(world.assessment))
    assert response.context["figures"]["measured"] == 1


def test_detail_of_an_empty_assessment_says_what_to_do(world, login):
    Site.objects.filter(assessment=world.assessment).delete()
    response = login(world.owner).get(detail_url(world.assessment))
    assertContains(response, "No sites yet. Open the sites grid")
    assertContains(response, "Start")


def test_detail_shows_recent_activity(world, login):
    from assessments.services.assessments import site_create
    from assessments.services.versioning import Actor

    site_create(
        assessment=world.assessment,
        fields={"name": "Pune", "country": "IN"},
        actor=Actor.for_user(world.teammate),
    )
    response = login(world.owner).get(detail_url(world.assessment))
    assertContains(response, "<strong>Bob Berg</strong> added site “Pune”", html=False)


def details_post(world, **overrides):
    form = AssessmentDetailsForm(instance=world.assessment, organisation=world.org)
    return form_data(form, **overrides)


def test_details_update_moves_status_along_the_flow(world, login):
    url = reverse("assessments:assessment-update", args=[world.assessment.pk])
    response = login(world.owner).post(
        url, details_post(world, status="workshop", title="Rollout 2028"), follow=True
    )
    assertRedirects(response, detail_url(world.assessment))
    assert "Assessment details saved." in messages_of(response)
    world.assessment.refresh_from_db()
    assert world.assessment.status == Status.WORKSHOP
    assert world.assessment.title == "Rollout 2028"
    assert world.assessment.status_changed_at is not None
    assert world.assessment.version == 2
    change = Change.objects.filter(action="update").get()
    assert change.fields["status"] == ["draft", "workshop"]


def test_details_update_refuses_a_jump_in_the_flow(world, login):
    url = reverse("assessments:assessment-update", args=[world.assessment.pk])
    client = login(world.owner)
    page = client.get(url)
    assertNotContains(page, 'value="proposal_issued"')
    response = client.post(url, details_post(world, status="proposal_issued"))
    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    world.assessment.refresh_from_db()
    assert world.assessment.status == Status.DRAFT
    assert world.assessment.version == 1
    assert not Change.objects.filter(action="update").exists()


def test_details_owner_must_belong_to_the_organisation(world, login):
    url = reverse("assessments:assessment-update", args=[world.assessment.pk])
    response = login(world.owner).post(url, details_post(world, owner=world.outsider.pk))
    assert "owner" in response.context["form"].errors
    world.assessment.refresh_from_db()
    assert world.assessment.owner == world.owner


def test_details_can_hand_the_assessment_to_a_teammate(world, login):
    url = reverse("assessments:assessment-update", args=[world.assessment.pk])
    response = login(world.owner).post(url, details_post(world, owner=world.teammate.pk))
    assert response.status_code == 302
    world.assessment.refresh_from_db()
    assert world.assessment.owner == world.teammate
    assert Change.objects.get(action="update").fields == {"owner": ["alice", "bob"]}


def test_submitting_records_when(world, login):
    world.assessment.status = Status.WITH_CUSTOMER
    world.assessment.save()
    url = reverse("assessments:assessment-update", args=[world.assessment.pk])
    login(world.owner).post(url, details_post(world, status="submitted"))
    world.assessment.refresh_from_db()
    assert world.assessment.status == Status.SUBMITTED
    assert world.assessment.submitted_at is not None


def delete_url(world):
    return reverse("assessments:assessment-delete", args=[world.assessment.pk])


def test_owner_sees_the_delete_confirmation(world, login):
    response = login(world.owner).get(delete_url(world))
    assert response.status_code == 200
    assert Assessment.objects.filter(pk=world.assessment.pk).exists()


def test_owner_deletes_the_assessment_with_its_sites_and_keeps_the_customer(world, login):
    response = login(world.owner).post(delete_url(world), follow=True)
    assertRedirects(response, reverse("assessments:dashboard"))
    assert not Assessment.objects.filter(pk=world.assessment.pk).exists()
    assert not Site.objects.filter(pk__in=[world.hq.pk, world.branch.pk]).exists()
    assert Customer.objects.filter(pk=world.customer.pk).exists()
    assertContains(response, "deleted.")


def test_a_teammate_se_may_not_delete_someone_elses_assessment(world, login):
    client = login(world.teammate)
    assert client.get(delete_url(world)).status_code == 403
    assert client.post(delete_url(world)).status_code == 403
    assert Assessment.objects.filter(pk=world.assessment.pk).exists()


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_a_manager_or_admin_may_delete_any_assessment(world, login, who):
    response = login(getattr(world, who)).post(delete_url(world))
    assert response.status_code == 302
    assert not Assessment.objects.filter(pk=world.assessment.pk).exists()


def test_a_teammate_may_edit_sites_of_any_assessment_of_the_organisation(world, login):
    SiteFactory(assessment=world.assessment, name="Extra")
    response = login(world.teammate).get(
        reverse("assessments:site-grid", args=[world.assessment.pk])
    )
    assert response.status_code == 200
    assertContains(response, 'value="Extra"')
