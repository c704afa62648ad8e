"""Invites for the shared world: a contact of Contoso with a link, and helpers to use it."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

import pytest

from assessments.services.versioning import Actor
from invites import services
from invites.models import Invite, InviteSection


@dataclass
class Link:
    invite: Invite
    token: str

    def url(self, name: str, *args) -> str:
        return reverse(f"invite:{name}", args=[self.token, *args])


@pytest.fixture
def make_invite(world):
    """Create an invite (no email) of ``assessment`` (Contoso's by default) and return its link."""

    def _make(
        *,
        assessment=None,
        name="Priya Patel",
        email="priya@contoso.example",
        sections=None,
        days=14,
    ) -> Link:
        issued = services.invite_create(
            assessment=assessment or world.assessment,
            contact_name=name,
            email=email,
            sections=sections or list(InviteSection.values),
            expires_at=timezone.now() + timedelta(days=days),
            actor=Actor.for_user(world.owner),
            send=False,
        )
        return Link(invite=issued.invite, token=issued.token)

    return _make


@pytest.fixture
def link(make_invite) -> Link:
    """An invite of Contoso's assessment to every section."""
    return make_invite()


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Each test starts with no bad tokens counted (the cache is a database table)."""
    caches["throttle"].clear()
    yield
    caches["throttle"].clear()
