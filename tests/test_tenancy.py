"""Tenancy and roles as a matrix over every URL of the staff app.

Another organisation's objects answer 404 on every URL that names one; role limits answer
403; anonymous visitors are sent to the login page. A URL added to an app's urls.py is
covered here automatically: its kwargs are filled from the shared world.
"""

from importlib import import_module

from django.test import Client
from django.urls import URLPattern, reverse

import pytest

from api.models import ApiToken
from assessments.models import Assessment, Change, Customer, Scenario, Site, Undo
from assessments.services.assessments import site_create
from assessments.services.undo import site_remove
from assessments.services.versioning import Actor
from tenancy.models import Role
from tests.factories import AssessmentFactory, SiteFactory, member, sign_in_of

# Served to anyone: a partner's public branding, and a reminder's signed "stop reminders"
# link (the signature is the key: invites/tests/test_reminders.py).
PUBLIC = {"brand-css", "brand-logo-public", "reminders-stop"}
ADMIN_ONLY = {
    "organisation-settings",
    "member-list",
    "member-update",
    "country-facts",
    "reminder-policy",
}
OBJECT_KWARGS = {"pk", "site_pk", "member_pk", "token_pk", "scenario_pk", "undo_pk", "sign_in_pk"}

# The staff screens of every app (the API and invite links have their own tests and guards).
STAFF_URLCONFS = ["assessments", "tenancy", "imports", "invites", "proposals"]
PATTERNS: list[URLPattern] = [
    p
    for app in STAFF_URLCONFS
    for p in import_module(f"{app}.urls").urlpatterns
    if isinstance(p, URLPattern)
]
NAMESPACE = {p.name: import_module(p.lookup_str.split(".")[0] + ".urls").app_name for p in PATTERNS}
STAFF_NAMES = [p.name for p in PATTERNS if p.name not in PUBLIC]
OBJECT_NAMES = [p.name for p in PATTERNS if OBJECT_KWARGS & set(p.pattern.converters)]


def kwargs_for(name: str, world) -> dict:
    """Fill a URL's parameters with objects of organisation A."""
    pattern = next(p for p in PATTERNS if p.name == name)
    route = str(pattern.pattern)
    values = {
        "pk": world.customer.pk if route.startswith("customers/") else world.assessment.pk,
        "site_pk": world.hq.pk,
        "member_pk": world.teammate.membership.pk,
        "slug": world.org.slug,
    }
    if "scenario_pk" in pattern.pattern.converters:
        values["scenario_pk"] = Scenario.objects.get_or_create(
            assessment=world.assessment, name="Matrix"
        )[0].pk
    if "undo_pk" in pattern.pattern.converters:
        # A removal of organisation A's to take back (a spare site, so the world stays whole).
        kept = Undo.objects.filter(assessment=world.assessment).first()
        if kept is None:
            spare = site_create(
                assessment=world.assessment,
                fields={"name": "Spare room", "country": "DE"},
                actor=Actor.for_user(world.owner),
            )
            kept = site_remove(site=spare, base_version=None, actor=Actor.for_user(world.owner))
        values["undo_pk"] = kept.pk
    if "token_pk" in pattern.pattern.converters:
        values["token_pk"] = ApiToken.issue(user=world.admin, name="matrix")[0].pk
    if "sign_in_pk" in pattern.pattern.converters:
        values["sign_in_pk"] = sign_in_of(world.owner).pk
    unknown = set(pattern.pattern.converters) - set(values)
    assert not unknown, (
        f"URL {name!r} takes {sorted(unknown)}: teach kwargs_for() in tests/test_tenancy.py "
        "which object of organisation A fills it (and add it to OBJECT_KWARGS)."
    )
    return {key: values[key] for key in pattern.pattern.converters}


def url_for(name: str, world) -> str:
    return reverse(f"{NAMESPACE[name]}:{name}", kwargs=kwargs_for(name, world))


def is_post_only(name: str, world) -> bool:
    """Whether the view refuses GET (405) even for a member who may use it."""
    client = Client()
    client.force_login(world.admin)
    return client.get(url_for(name, world)).status_code == 405


KNOWN_POST_ONLY = {"site-clone", "site-delete", "member-update"}


def snapshot(world) -> dict:
    """What organisation A holds, to prove a refused request changed nothing."""
    return {
        "assessments": list(
            Assessment.objects.filter(organisation=world.org).values_list("pk", "version")
        ),
        "customers": list(
            Customer.objects.filter(organisation=world.org).values_list("pk", "name")
        ),
        "sites": list(
            Site.objects.filter(assessment__organisation=world.org).values_list("pk", "version")
        ),
        "changes": Change.objects.count(),
        "teammate": (world.teammate.membership.role, world.teammate.is_active),
    }


def test_the_matrix_covers_the_object_urls_we_know():
    assert {"site-update", "site-clone", "site-delete"} <= set(SITE_NAMES)
    assert {
        "customer-update",
        "assessment-detail",
        "assessment-update",
        "assessment-delete",
        "questionnaire",
        "site-grid",
        "site-create",
        "site-update",
        "site-clone",
        "site-delete",
        "member-update",
    } <= set(OBJECT_NAMES)


@pytest.mark.parametrize("name", STAFF_NAMES)
def test_anonymous_visitors_are_sent_to_the_login_page(world, client, name):
    url = url_for(name, world)
    post_only = is_post_only(name, world)
    before = snapshot(world)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if method == "get" and post_only:
            assert response.status_code == 405
            continue
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("login") + "?next="), url
    assert snapshot(world) == before


@pytest.mark.parametrize("role", [Role.SALES_ENGINEER, Role.ADMIN])
@pytest.mark.parametrize("name", OBJECT_NAMES)
def test_an_outsider_gets_404_on_every_object_url(world, client, name, role):
    outsider = world.outsider if role == Role.SALES_ENGINEER else member(world.other_org, role)
    post_only = is_post_only(name, world)
    client.force_login(outsider)
    url = url_for(name, world)
    before = snapshot(world)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if method == "get" and post_only:
            expected = 405
        elif name in ADMIN_ONLY and role != Role.ADMIN:
            expected = 403  # the role is refused before any object is looked up
        else:
            expected = 404
        assert response.status_code == expected, (method, url, response.status_code)
    assert snapshot(world) == before


@pytest.mark.parametrize("name", [n for n in OBJECT_NAMES if n not in ADMIN_ONLY])
def test_the_owner_reaches_every_object_url(world, client, name):
    client.force_login(world.owner)
    response = client.get(url_for(name, world))
    assert response.status_code in (200, 405)
    if name in KNOWN_POST_ONLY:
        assert response.status_code == 405


SITE_NAMES = [p.name for p in PATTERNS if "site_pk" in p.pattern.converters]


@pytest.mark.parametrize("name", SITE_NAMES)
def test_a_site_of_another_assessment_is_404_under_this_assessment(world, client, name):
    sibling = AssessmentFactory(customer=world.customer, owner=world.owner)
    stray = SiteFactory(assessment=sibling, name="Elsewhere")
    client.force_login(world.owner)
    for site in (stray, world.other_site):
        url = reverse(f"{NAMESPACE[name]}:{name}", args=[world.assessment.pk, site.pk])
        assert client.post(url).status_code == 404
        assert client.get(url).status_code in (404, 405)
    assert Site.objects.filter(pk=stray.pk, name="Elsewhere").exists()
    assert Site.objects.filter(assessment=sibling).count() == 1


def test_an_outsider_sees_none_of_our_rows_in_lists(world, client):
    their_admin = member(world.other_org, Role.ADMIN)
    for user in (world.outsider, their_admin):
        client.force_login(user)
        dashboard = client.get(reverse("assessments:dashboard"), {"scope": "all"})
        assert [a.pk for a in dashboard.context["page"].object_list] == [world.other_assessment.pk]
        assert dashboard.context["total"] == 1
        assert "Contoso" not in dashboard.content.decode()
        customers = client.get(reverse("assessments:customer-list"))
        assert [c.pk for c in customers.context["page"].object_list] == [world.other_customer.pk]
        search = client.get(reverse("assessments:customer-list"), {"q": "Contoso"})
        assert list(search.context["page"].object_list) == []
        create = client.get(reverse("assessments:assessment-create"))
        assert list(create.context["form"].fields["customer"].queryset) == [world.other_customer]
    members = client.get(reverse("tenancy:member-list"))
    assert {m.user.username for m in members.context["members"]} == {
        "charlie",
        their_admin.username,
    }


def test_an_outsider_cannot_start_an_assessment_for_our_customer(world, client):
    client.force_login(world.outsider)
    response = client.post(
        reverse("assessments:assessment-create"),
        {"customer": world.customer.pk, "title": "Sneaky"},
    )
    assert response.status_code == 200
    assert "customer" in response.context["form"].errors
    assert not Assessment.objects.filter(title="Sneaky").exists()


def test_an_outsider_cannot_hand_our_assessment_owner_choices(world, client):
    client.force_login(world.outsider)
    url = reverse("assessments:assessment-update", args=[world.other_assessment.pk])
    owners = client.get(url).context["form"].fields["owner"].queryset
    assert world.owner not in owners
    assert world.outsider in owners


@pytest.mark.parametrize("name", STAFF_NAMES)
def test_a_user_without_an_organisation_gets_403(world, client, django_user_model, name):
    loner = django_user_model.objects.create_user("loner", password="x-very-long-pass-2026")
    client.force_login(loner)
    response = client.post(url_for(name, world))
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["owner", "teammate", "manager", "admin"])
def test_every_role_may_work_on_assessments(world, client, who):
    client.force_login(getattr(world, who))
    for name in ("assessment-detail", "questionnaire", "site-grid", "site-update"):
        assert client.get(url_for(name, world)).status_code == 200
