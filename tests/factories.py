"""Factories for the portal's models, and builders of the POST data a browser would send."""

from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

import factory

from assessments.models import Assessment, Circuit, Customer, Site
from tenancy.models import Membership, Organisation, Role

PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    company_name = factory.LazyAttribute(lambda o: f"{o.name} Ltd")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = "Tester"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.SALES_ENGINEER


def member(organisation: Organisation, role: str = Role.SALES_ENGINEER, **user_fields):
    """A user who belongs to ``organisation`` with ``role``."""
    return MembershipFactory(
        organisation=organisation, role=role, user=UserFactory(**user_fields)
    ).user


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Customer {n}")
    country = "DE"


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    customer = factory.SubFactory(CustomerFactory)
    organisation = factory.SelfAttribute("customer.organisation")
    title = factory.Sequence(lambda n: f"Teams Phone readiness {n}")
    owner = factory.LazyAttribute(lambda a: member(a.organisation))


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    assessment = factory.SubFactory(AssessmentFactory)
    name = factory.Sequence(lambda n: f"Site {n}")
    country = "DE"
    city = "Berlin"
    users = 50
    position = factory.Sequence(lambda n: n)


class CircuitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Circuit

    site = factory.SubFactory(SiteFactory)
    role = "primary"
    kind = "dia"
    down_mbps = 100
    up_mbps = 20
    provider = "BT"


# --- POST data as a browser would send it -------------------------------------------------


def _post_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal | float | int):
        return str(value)
    return value


def form_data(form, **overrides) -> dict:
    """The POST data of an unbound form as rendered (initial values), with ``overrides``.

    Overrides use field names; for a prefixed form they are prefixed here.
    """
    data = {}
    for bound in form:
        if getattr(bound.field.widget, "input_type", None) == "checkbox":
            if bound.value():
                data[bound.html_name] = "on"
            continue
        data[bound.html_name] = _post_value(bound.value())
    for name, value in overrides.items():
        data[form.add_prefix(name)] = _post_value(value)
    return data


def formset_data(formset, rows: dict[int, dict] | None = None, new: list[dict] | None = None):
    """The POST data of an unbound formset, row overrides by index, and new rows appended.

    ``new`` rows start from the formset's empty form, so unspecified cells take defaults.
    """
    rows = rows or {}
    data = {}
    management = formset.management_form
    for bound in management:
        data[bound.html_name] = _post_value(bound.value())
    for index, form in enumerate(formset.forms):
        data.update(form_data(form, **rows.get(index, {})))
    total = len(formset.forms)
    for extra in new or []:
        form = formset.empty_form
        template = form_data(form)
        for key, value in template.items():
            data[key.replace("__prefix__", str(total))] = value
        for name, value in extra.items():
            data[f"{formset.prefix}-{total}-{name}"] = _post_value(value)
        total += 1
    data[f"{formset.prefix}-TOTAL_FORMS"] = str(total)
    return data


def messages_of(response) -> list[str]:
    """The flash messages a rendered page carries, as text."""
    if not response.context or "messages" not in response.context:
        return []
    return [str(m) for m in response.context["messages"]]


def invite_issue(assessment, *, by, name="Priya Patel", sections=None, days=14):
    """An invite of ``assessment`` to ``sections`` (all by default), issued by ``by``, no email."""
    from datetime import timedelta

    from django.utils import timezone

    from assessments.services.versioning import Actor
    from invites.models import InviteSection
    from invites.services import invite_create

    return invite_create(
        assessment=assessment,
        contact_name=name,
        email=f"{name.split()[0].lower()}@contoso.example",
        sections=sections or list(InviteSection.values),
        expires_at=timezone.now() + timedelta(days=days),
        actor=Actor.for_user(by),
        send=False,
    )


def sign_in_of(user):
    """Another browser session of ``user``, as a login records it (for the profile's list)."""
    from django.contrib.sessions.backends.db import SessionStore

    from tenancy.models import SignIn

    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store.create()
    return SignIn.objects.create(session_id=store.session_key, user=user, user_agent="Firefox/1")
