"""A customer's decision reaches the partner: the email to its people, and the deal moved on."""

import logging
import smtplib

from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

import pytest

from deals.models import Deal, DealChange, Stage
from deals.services import deal_customer_decided
from proposals import links
from proposals.models import ProposalDecision
from proposals.tests.test_customer_links import (  # noqa: F401 - the autouse render fixture
    accept,
    page,
    render_once,
    share,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(world, issue):
    return issue(world.manager, world.assessment)


@pytest.fixture
def token(client, world, issued):
    return share(client, world.manager, world.assessment)


def decide(django_capture_on_commit_callbacks, action):
    """Run a customer's request with its after-commit work, as a real request would."""
    with django_capture_on_commit_callbacks(execute=True):
        return action()


def ask_changes(customer, token, comment="Add the Lyon warehouse, please."):
    return customer.post(
        page(token, "decide"),
        {"kind": "changes", "full_name": "Priya Patel", "title": "CIO", "comment": comment},
    )


def _all_text(message) -> str:
    return "\n".join([message.subject, message.body, *(c for c, _ in message.alternatives)])


def test_an_acceptance_emails_the_owner_and_managers_once_with_who_when_and_the_hash(
    world, issued, token, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    customer = Client()
    response = decide(django_capture_on_commit_callbacks, lambda: accept(customer, token))
    assert response.status_code == 302

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    # The owner and the manager; the teammate and the admin are not told.
    assert sorted(message.to) == ["alice@example.com", "maria@example.com"]
    assert message.subject == "Contoso Manufacturing accepted proposal version 1"
    text = _all_text(message)
    decision = ProposalDecision.objects.get()
    assert "Priya Patel, CIO accepted version 1" in text
    assert issued.sha256 in message.body
    assert decision.statement in message.body
    assert "UTC" in message.body  # when, to the minute
    staff_page = settings.SITE_URL + reverse("proposals:proposal", args=[world.assessment.pk])
    assert staff_page in message.body and staff_page in message.alternatives[0][0]
    assert token not in text  # the customer's link is theirs, never forwarded

    # A second accept is refused, and tells nobody again.
    again = decide(django_capture_on_commit_callbacks, lambda: accept(customer, token))
    assert again.status_code == 409
    assert len(mail.outbox) == 1


def test_a_request_for_changes_emails_the_comment(world, token, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    response = decide(django_capture_on_commit_callbacks, lambda: ask_changes(Client(), token))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == ("Contoso Manufacturing asked for changes to proposal version 1")
    assert "Add the Lyon warehouse, please." in message.body
    assert "Add the Lyon warehouse, please." in message.alternatives[0][0]
    assert "Priya Patel asked for changes to version 1" in message.body
    assert token not in _all_text(message)


def test_a_refused_decision_sends_nothing(world, token, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    response = decide(
        django_capture_on_commit_callbacks,
        lambda: accept(Client(), token, statement="I accept whatever you like."),
    )
    assert response.status_code == 409
    assert mail.outbox == []
    assert not DealChange.objects.filter(by_name__contains="Priya").exists()


def test_a_mail_failure_keeps_the_decision_and_shows_the_customer_no_error(
    world, token, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(links, "send_templated_email", refuse)
    caplog.set_level(logging.DEBUG)
    customer = Client()
    response = decide(django_capture_on_commit_callbacks, lambda: accept(customer, token))
    assert response.status_code == 302
    assert ProposalDecision.objects.count() == 1
    assert Deal.objects.get(assessment=world.assessment).stage == Stage.ACCEPTED
    assert "Accepted</strong> by Priya Patel" in customer.get(response["Location"]).content.decode()
    assert "Email about decision" in caplog.text
    assert token not in caplog.text


def test_a_queue_that_fails_keeps_the_decision_too(
    world, token, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    class QueueDown:
        def enqueue(self, *args, **kwargs):
            raise RuntimeError("the task queue did not answer")

    monkeypatch.setattr(links, "tell_decided", QueueDown())
    response = decide(django_capture_on_commit_callbacks, lambda: ask_changes(Client(), token))
    assert response.status_code == 302
    assert ProposalDecision.objects.count() == 1
    assert "was not queued" in caplog.text


def _history(world):
    return list(
        DealChange.objects.filter(deal__assessment=world.assessment).values_list(
            "stage_from", "stage_to", "by_id", "by_name"
        )
    )


def test_an_acceptance_moves_the_deal_to_accepted_as_the_customers_doing(
    client, world, token, django_capture_on_commit_callbacks
):
    # Nobody had moved the deal: it showed "Proposal sent" since the issue.
    assert not Deal.objects.exists()
    decide(django_capture_on_commit_callbacks, lambda: accept(Client(), token))
    deal = Deal.objects.get(assessment=world.assessment)
    assert deal.stage == Stage.ACCEPTED
    assert _history(world) == [("proposal", "accepted", None, "Priya Patel, CIO (customer)")]

    client.force_login(world.manager)
    body = client.get(reverse("deals:deal", args=[world.assessment.pk])).content.decode()
    assert "Priya Patel, CIO (customer)</strong>: Proposal sent → Accepted: version 1" in body


def test_changes_move_an_early_deal_to_negotiating_and_acceptance_on_from_there(
    world, token, django_capture_on_commit_callbacks
):
    decide(django_capture_on_commit_callbacks, lambda: ask_changes(Client(), token))
    assert Deal.objects.get().stage == Stage.NEGOTIATING
    # Asked again: already negotiating, so nothing moves and no history is added.
    decide(django_capture_on_commit_callbacks, lambda: ask_changes(Client(), token, "And Nice."))
    assert len(_history(world)) == 1
    decide(django_capture_on_commit_callbacks, lambda: accept(Client(), token))
    assert Deal.objects.get().stage == Stage.ACCEPTED
    assert [row[:2] for row in _history(world)] == [
        ("negotiating", "accepted"),
        ("proposal", "negotiating"),
    ]


@pytest.mark.parametrize("closed", [Stage.WON, Stage.LOST])
def test_a_closed_deal_never_moves_back(world, issued, closed):
    Deal.objects.create(
        organisation=world.org,
        assessment=world.assessment,
        stage=closed,
        stage_since=issued.issued_at,
        lost_reason="price" if closed == Stage.LOST else "",
    )
    for accepted in (False, True):
        moved = deal_customer_decided(
            assessment=world.assessment, accepted=accepted, number=1, customer="Priya (customer)"
        )
        assert moved is None
    assert Deal.objects.get().stage == closed
    assert not DealChange.objects.exists()


def test_acceptance_of_an_accepted_deal_changes_nothing(world, issued):
    first = deal_customer_decided(
        assessment=world.assessment, accepted=True, number=1, customer="Priya (customer)"
    )
    assert first is not None and first.stage == Stage.ACCEPTED
    assert (
        deal_customer_decided(
            assessment=world.assessment, accepted=True, number=1, customer="Priya (customer)"
        )
        is None
    )
    assert DealChange.objects.count() == 1
    assert Deal.objects.get().version == first.version
