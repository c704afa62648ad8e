"""Admins manage their organisation's branding and members; nobody else may."""

from django.contrib.auth import get_user_model
from django.urls import reverse

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from assessments.forms import OrganisationForm
from tenancy.models import Membership, Organisation, Role
from tests.factories import PASSWORD, form_data, messages_of

SETTINGS = reverse("tenancy:organisation-settings")
MEMBERS = reverse("tenancy:member-list")
User = get_user_model()


def member_url(user):
    return reverse("tenancy:member-update", args=[user.membership.pk])


def test_admin_sees_the_branding_form(world, login):
    response = login(world.admin).get(SETTINGS)
    assert response.status_code == 200
    assertContains(response, "Northwind Voice")
    assertContains(response, 'value="#1F4E79"')


@pytest.mark.parametrize("who", ["owner", "manager"])
def test_others_may_not_open_organisation_pages(world, login, who):
    client = login(getattr(world, who))
    assert client.get(SETTINGS).status_code == 403
    assert client.post(SETTINGS, {"company_name": "Hacked"}).status_code == 403
    assert client.get(MEMBERS).status_code == 403
    assert client.post(member_url(world.teammate), {"role": "admin"}).status_code == 403
    world.org.refresh_from_db()
    assert world.org.company_name == "Northwind Voice Ltd"
    world.teammate.membership.refresh_from_db()
    assert world.teammate.membership.role == Role.SALES_ENGINEER


def test_only_admins_see_the_organisation_link(world, login):
    assertNotContains(login(world.manager).get("/"), SETTINGS)
    assertContains(login(world.admin).get("/"), SETTINGS)


def branding(world, **overrides):
    return form_data(OrganisationForm(instance=world.org), **overrides)


def test_admin_saves_branding(world, login):
    data = branding(
        world,
        company_name="Northwind Voice Partners Ltd",
        primary_colour="#112233",
        font="merriweather",
    )
    response = login(world.admin).post(SETTINGS, data, follow=True)
    assertRedirects(response, SETTINGS)
    assert "Branding saved: customer pages and new proposals use it." in messages_of(response)
    world.org.refresh_from_db()
    assert world.org.company_name == "Northwind Voice Partners Ltd"
    assert world.org.primary_colour == "#112233"
    assert world.org.font == "merriweather"
    assertContains(response, "Northwind Voice Partners Ltd")


def test_a_bad_colour_is_explained_and_not_saved(world, login):
    response = login(world.admin).post(SETTINGS, branding(world, primary_colour="red"))
    assert response.status_code == 200
    assertContains(response, "Enter a colour as #RRGGBB, e.g. #1F4E79.")
    world.org.refresh_from_db()
    assert world.org.primary_colour == "#1F4E79"


def test_branding_never_changes_the_organisations_name_or_slug(world, login):
    data = branding(world, name="Renamed", slug="renamed")
    login(world.admin).post(SETTINGS, data)
    world.org.refresh_from_db()
    assert (world.org.name, world.org.slug) == ("Northwind Voice", "northwind")


def test_admin_lists_only_own_members(world, login):
    response = login(world.admin).get(MEMBERS)
    assert response.status_code == 200
    for name in ("Alice Ames", "Bob Berg", "Maria Moss", "Adam Ash"):
        assertContains(response, name)
    assertNotContains(response, "Charlie")


def new_member(**overrides):
    data = {
        "first_name": "Dana",
        "last_name": "Dale",
        "email": "dana@northwind.example",
        "username": "dana",
        "role": Role.MANAGER,
        "password": "a-long-enough-passphrase-2026",
    }
    return {**data, **overrides}


def test_admin_adds_a_member_who_can_log_in(world, login, client):
    response = login(world.admin).post(MEMBERS, new_member(), follow=True)
    assertRedirects(response, MEMBERS)
    assert "Dana Dale can now log in." in messages_of(response)
    dana = User.objects.get(username="dana")
    assert dana.membership.organisation == world.org
    assert dana.membership.role == Role.MANAGER
    client.logout()
    logged_in = client.post(
        reverse("login"), {"username": "dana", "password": "a-long-enough-passphrase-2026"}
    )
    assertRedirects(logged_in, reverse("assessments:dashboard"), fetch_redirect_response=False)
    dashboard = client.get(reverse("assessments:dashboard"), {"scope": "all"})
    assertContains(dashboard, "Rollout 2027")


@pytest.mark.parametrize(
    "password", ["short", "password1234", "123456789012", "dana@northwind.example"]
)
def test_a_weak_password_is_refused(world, login, password):
    response = login(world.admin).post(MEMBERS, new_member(password=password))
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not User.objects.filter(username="dana").exists()


def test_a_taken_username_is_refused_whatever_the_case(world, login):
    response = login(world.admin).post(MEMBERS, new_member(username="CHARLIE"))
    assertContains(response, "This username is taken.")
    assert User.objects.filter(username__iexact="charlie").count() == 1


def test_admin_changes_a_members_role(world, login):
    response = login(world.admin).post(member_url(world.teammate), {"role": "manager"})
    assertRedirects(response, MEMBERS, fetch_redirect_response=False)
    world.teammate.membership.refresh_from_db()
    assert world.teammate.membership.role == Role.MANAGER


def test_admin_disables_and_enables_a_members_login(world, login, client):
    admin = login(world.admin)
    admin.post(member_url(world.teammate), {"active": "0"})
    world.teammate.refresh_from_db()
    assert not world.teammate.is_active
    client.logout()
    refused = client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session
    login(world.admin).post(member_url(world.teammate), {"active": "1"})
    world.teammate.refresh_from_db()
    assert world.teammate.is_active


def test_admin_cannot_demote_or_disable_themself(world, login):
    client = login(world.admin)
    response = client.post(member_url(world.admin), {"role": "se", "active": "0"}, follow=True)
    assert "You cannot change your own role or access." in messages_of(response)
    world.admin.refresh_from_db()
    assert world.admin.is_active
    assert world.admin.membership.role == Role.ADMIN


def test_an_unknown_role_changes_nothing(world, login):
    login(world.admin).post(member_url(world.teammate), {"role": "superuser"})
    world.teammate.membership.refresh_from_db()
    assert world.teammate.membership.role == Role.SALES_ENGINEER


def test_member_update_needs_post(world, login):
    assert login(world.admin).get(member_url(world.teammate)).status_code == 405


def test_admin_of_another_organisation_gets_404_for_our_members(world, login):
    from tests.factories import member

    their_admin = member(world.other_org, Role.ADMIN)
    response = login(their_admin).post(member_url(world.teammate), {"active": "0"})
    assert response.status_code == 404
    world.teammate.refresh_from_db()
    assert world.teammate.is_active


def test_brand_css_carries_the_colours_and_font(world, client):
    world.org.primary_colour = "#112233"
    world.org.font = "source-sans-3"
    world.org.save()
    response = client.get(reverse("tenancy:brand-css", args=["northwind"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert "max-age" in response["Cache-Control"]
    css = response.content.decode()
    assert "--brand-primary: #112233;" in css
    assert "--brand-accent: #2E8540;" in css
    assert "'Source Sans 3'" in css


def test_brand_css_of_an_unknown_organisation_is_404(db, client):
    assert client.get(reverse("tenancy:brand-css", args=["nobody"])).status_code == 404


def test_organisation_model_is_shared_by_nobody(world):
    assert Organisation.objects.count() == 2
    assert Membership.objects.filter(organisation=world.other_org).count() == 1
