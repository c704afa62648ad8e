"""Who changed members, branding, customers, scenarios and proposals: shown in the activity logs."""

from django.urls import reverse

from pytest_django.asserts import assertContains, assertNotContains

from assessments.forms import OrganisationForm
from assessments.models import Change, Scenario
from proposals import services as proposals
from tests.factories import PASSWORD, form_data

ORG_LOG = reverse("tenancy:organisation-activity")


def member_url(user):
    return reverse("tenancy:member-update", args=[user.membership.pk])


def rows(response) -> str:
    """The activity table's text, one entry per line."""
    return " ".join(response.content.decode().split())


def test_a_role_change_shows_who_made_it_and_the_roles_by_name(world, login):
    admin = login(world.admin)
    admin.post(member_url(world.teammate), {"role": "manager"})
    page = rows(admin.get(ORG_LOG))
    assert "Adam Ash" in page
    assert "Changed member “Bob Berg”" in page
    assert "<del>Sales engineer</del> → <ins>Manager</ins>" in page


def test_deactivating_and_reactivating_a_member_are_logged(world, login):
    admin = login(world.admin)
    admin.post(member_url(world.teammate), {"active": "0"})
    admin.post(member_url(world.teammate), {"active": "1"})
    page = rows(admin.get(ORG_LOG + "?kind=members"))
    assert "Deactivated member “Bob Berg”" in page
    assert "Reactivated member “Bob Berg”" in page
    assert "<del>active</del> → <ins>deactivated</ins>" in page
    assert page.index("Reactivated") < page.index("Deactivated")  # newest first


def test_nothing_changed_logs_nothing(world, login):
    login(world.admin).post(member_url(world.teammate), {"role": "se", "active": "1"})
    assert not Change.objects.filter(object_type="membership").exists()


def test_an_admin_changing_their_own_access_is_refused_and_not_logged(world, login):
    login(world.admin).post(member_url(world.admin), {"active": "0"})
    world.admin.refresh_from_db()
    assert world.admin.is_active
    assert not Change.objects.filter(object_type="membership").exists()


def test_a_new_member_is_logged_with_their_role(world, login):
    admin = login(world.admin)
    admin.post(
        reverse("tenancy:member-list"),
        {
            "first_name": "Dana",
            "last_name": "Diaz",
            "email": "dana@example.com",
            "username": "dana",
            "role": "manager",
            "password": PASSWORD,
        },
    )
    page = rows(admin.get(ORG_LOG))
    assert "Added member “Dana Diaz”" in page
    assert "<ins>Manager</ins>" in page


def test_a_branding_change_is_in_the_organisation_log(world, login):
    admin = login(world.admin)
    data = form_data(OrganisationForm(instance=world.org), company_name="Northwind Voice plc")
    admin.post(reverse("tenancy:organisation-settings"), data)
    page = rows(admin.get(ORG_LOG + "?kind=branding"))
    assert "Changed branding of “Northwind Voice”" in page
    assert "<ins>Northwind Voice plc</ins>" in page


def test_a_new_customer_is_in_the_organisation_log(world, login):
    admin = login(world.admin)
    login(world.owner).post(
        reverse("assessments:customer-create"), {"name": "Litware", "country": "GB"}
    )
    page = rows(login(world.admin).get(ORG_LOG + "?kind=customers"))
    assert "Alice Ames" in page and "Added customer “Litware”" in page
    assert not admin.get(ORG_LOG + "?kind=members").context["page"].object_list


def test_the_organisation_log_shows_only_this_organisation(world, login):
    login(world.admin).post(member_url(world.teammate), {"role": "manager"})
    other_admin = world.outsider
    other_admin.membership.role = "admin"
    other_admin.membership.save()
    page = login(other_admin).get(ORG_LOG)
    assert page.status_code == 200
    assertNotContains(page, "Changed member")
    assert not page.context["page"].object_list


def test_admins_find_the_log_from_the_organisation_page(world, login):
    page = login(world.admin).get(reverse("tenancy:organisation-settings"))
    assertContains(page, ORG_LOG)


def test_scenarios_added_promoted_and_removed_are_in_the_assessment_log(world, login):
    client = login(world.owner)
    pk = world.assessment.pk
    client.post(reverse("assessments:scenarios", args=[pk]), {"name": "LTE everywhere"})
    scenario = Scenario.objects.get(assessment=world.assessment)
    scenario.changes = [{"scope": "sites", "field": "lte_backup", "value": "yes", "sites": []}]
    scenario.save()
    client.post(
        reverse("assessments:scenario-promote", args=[pk, scenario.pk]), {"confirmed": "yes"}
    )
    client.post(reverse("assessments:scenario-delete", args=[pk, scenario.pk]))
    page = rows(client.get(reverse("assessments:activity", args=[pk])))
    for line in ("Added", "Promoted", "Removed"):
        assert f"{line} scenario “LTE everywhere”" in page
    # The promoted answers are logged on the sites themselves, as any edit.
    assert "Changed site “Lyon Office”" in page


def test_issuing_and_reissuing_a_proposal_are_in_the_assessment_log(
    world, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the PDF is not needed here
        proposals.proposal_issue(assessment=world.assessment, user=world.owner)
        proposals.proposal_issue(assessment=world.assessment, user=world.manager)
    page = rows(login(world.owner).get(reverse("assessments:activity", args=[world.assessment.pk])))
    assert "Issued proposal “version 1”" in page
    assert "Re-issued proposal “version 2”" in page
    assert page.index("Maria Moss") < page.index("Issued proposal")
    detail = login(world.owner).get(
        reverse("assessments:assessment-detail", args=[world.assessment.pk])
    )
    assertContains(detail, "re-issued proposal “version 2”")
