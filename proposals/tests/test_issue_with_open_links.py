"""Issuing while contacts can still answer: named first, told on request, never told "Submitted"."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from assessments.services.versioning import Actor
from invites.models import InviteSection
from invites.services import invite_create, invite_resolve
from proposals.models import Proposal

pytestmark = pytest.mark.django_db


def _invite(world, name, email, **kwargs):
    return invite_create(
        assessment=world.assessment,
        contact_name=name,
        email=email,
        sections=list(InviteSection.values),
        expires_at=kwargs.get("expires_at", timezone.now() + timedelta(days=14)),
        actor=Actor.for_user(world.owner),
        send=False,
    )


def _issue(client, world, **form):
    return client.post(reverse("proposals:proposal-issue", args=[world.assessment.pk]), form)


def test_open_links_are_named_before_anything_is_issued(world, login):
    _invite(world, "Priya Patel", "priya@contoso.example")
    client = login(world.owner)
    page = _issue(client, world)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Priya Patel" in body and "priya@contoso.example" in body
    assert "Issue version 1 and close the questionnaire" in body
    assert not Proposal.objects.exists()


def test_confirming_issues_and_tells_the_contacts_by_email(world, login):
    issued = _invite(world, "Priya Patel", "priya@contoso.example")
    _invite(world, "Jonas Berg", "jonas@contoso.example")
    client = login(world.owner)
    answer = _issue(client, world, confirm="1", tell_contacts="1")
    assert answer.status_code == 302
    assert Proposal.objects.count() == 1
    told = sorted(m.to[0] for m in mail.outbox)
    assert told == ["jonas@contoso.example", "priya@contoso.example"]
    assert "questionnaire you were invited to is now closed" in mail.outbox[0].body
    # The contact who never submitted is not told it "Submitted".
    invite = invite_resolve(issued.token)
    page = client.get(reverse("invite:results", args=[issued.token]))
    assert invite is not None and page.status_code == 200
    text = page.content.decode()
    assert "has issued its proposal" in text
    assert "Submitted on" not in text


def test_confirming_without_telling_sends_nothing(world, login):
    _invite(world, "Priya Patel", "priya@contoso.example")
    _issue(login(world.owner), world, confirm="1")
    assert Proposal.objects.count() == 1
    assert mail.outbox == []


def test_a_revoked_link_does_not_ask(world, login):
    from invites.models import Invite

    _invite(world, "Old", "old@contoso.example")
    Invite.objects.update(revoked_at=timezone.now())
    answer = _issue(login(world.owner), world)
    assert answer.status_code == 302
    assert Proposal.objects.count() == 1


def test_the_owner_the_issuer_and_managers_are_told_when_the_pdf_is_ready(world, login):
    from proposals.services import proposal_issue, proposal_render

    proposal = proposal_issue(assessment=world.assessment, user=world.teammate)
    assert mail.outbox == []  # issued is not ready
    proposal_render(proposal_id=proposal.pk)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    expected = {world.owner.email, world.teammate.email, world.manager.email}
    assert set(sent.to) == expected - {""}
    assert "version 1" in sent.subject.lower() and world.assessment.customer.name in sent.subject
    assert reverse("proposals:proposal", args=[world.assessment.pk]) in sent.body
    # Rendering again (a task run twice) stores nothing and tells nobody again.
    proposal_render(proposal_id=proposal.pk)
    assert len(mail.outbox) == 1
