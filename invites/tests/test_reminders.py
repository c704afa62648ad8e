"""Reminders to invited contacts: schedule, links, stopping, the policy, failures, secrecy."""

import io
import logging
import re
import time
from datetime import timedelta

from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from assessments.presenters import date_text
from assessments.services.versioning import Actor
from invites import services
from invites.models import Invite, InviteReminder, ReminderPolicy, hash_invite_token
from invites.reminders import reminder_send, stop_url

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s\"<>]+/i/([A-Za-z0-9_-]{43})/")
STOP = re.compile(r"https?://[^\s\"<>]+(/reminders/stop/[^\s\"<>]+/)")


class Clock:
    """A settable "now" for ``django.utils.timezone.now`` (no time-freezing package here)."""

    def __init__(self):
        self.now = timezone.now()

    def __call__(self):
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    """Time stands still until a test moves it; every ``timezone.now()`` reads it."""
    frozen = Clock()
    monkeypatch.setattr(timezone, "now", frozen)
    return frozen


def run() -> str:
    """Run the cron command once and return what it printed."""
    out = io.StringIO()
    call_command("send_invite_reminders", stdout=out)
    return out.getvalue()


def reminder_token(message) -> str:
    """The questionnaire token in a reminder email (text part)."""
    return LINK.search(message.body).group(1)


@pytest.fixture
def invited(clock, make_invite):
    """Day 0: Priya is invited for 60 days (so expiry does not cut the schedule short)."""
    mail.outbox.clear()
    return make_invite(days=60)


def test_reminders_go_every_d_days_and_stop_after_n(invited, clock):
    # Defaults: at most 2 reminders, at least 3 days apart.
    clock.advance(days=3, seconds=-1)
    run()
    assert mail.outbox == []
    clock.advance(seconds=1)
    assert "Sent 1 reminder(s)" in run()
    assert len(mail.outbox) == 1
    assert run().startswith("Sent 0")  # a second run a moment later sends nothing
    clock.advance(days=3, seconds=-1)
    run()
    assert len(mail.outbox) == 1
    clock.advance(seconds=1)
    run()
    assert len(mail.outbox) == 2
    clock.advance(days=3)
    run()
    clock.advance(days=30)
    run()
    assert len(mail.outbox) == 2
    invite = Invite.objects.get(pk=invited.invite.pk)
    assert invite.reminders_sent == 2
    assert list(invite.reminders.values_list("number", flat=True)) == [1, 2]
    assert [m.to for m in mail.outbox] == [["priya@contoso.example"]] * 2


def test_the_organisations_policy_sets_how_many_and_how_far_apart(invited, clock, world):
    ReminderPolicy.objects.create(organisation=world.org, max_reminders=1, days_apart=7)
    clock.advance(days=6)
    run()
    assert mail.outbox == []
    clock.advance(days=1)
    run()
    clock.advance(days=7)
    run()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("change", [{"enabled": False}, {"max_reminders": 0}])
def test_reminders_turned_off_or_set_to_none_send_nothing(invited, clock, world, change):
    ReminderPolicy.objects.create(organisation=world.org, **change)
    clock.advance(days=10)
    run()
    assert mail.outbox == []


def test_another_organisations_policy_does_not_apply(invited, clock, world):
    ReminderPolicy.objects.create(organisation=world.other_org, enabled=False)
    clock.advance(days=3)
    run()
    assert len(mail.outbox) == 1


def test_the_reminder_says_when_the_link_expires_and_how_to_stop(invited, clock):
    clock.advance(days=3)
    run()
    message = mail.outbox[0]
    expires = date_text(invited.invite.expires_at)
    assert f"The link works until {expires}." in message.body
    assert "The link you were sent first works too." in message.body
    assert STOP.search(message.body)
    html = message.alternatives[0][0]
    assert f"The link works until {expires}." in html
    assert "No more reminders, please" in html
    assert message.subject.startswith("Reminder: your input on Teams Phone readiness of Contoso")


def test_the_reminders_link_opens_the_questionnaire_and_the_first_link_still_works(invited, clock):
    clock.advance(days=3)
    run()
    token = reminder_token(mail.outbox[0])
    assert token != invited.token
    for raw in (token, invited.token):
        page = Client().get(reverse("invite:organisation", args=[raw]))
        assert page.status_code == 200
        assert "Contoso" in page.content.decode()


def test_a_resend_kills_the_first_link_and_every_reminders_link(invited, clock, world):
    clock.advance(days=3)
    run()
    token = reminder_token(mail.outbox[0])
    issued = services.invite_resend(
        invite=invited.invite, actor=Actor.for_user(world.owner), send=False
    )
    for raw in (token, invited.token):
        page = Client().get(reverse("invite:organisation", args=[raw]))
        assert page.status_code == 404
    assert Client().get(reverse("invite:organisation", args=[issued.token])).status_code == 200
    # The new link starts the reminders afresh, counted from the re-send.
    clock.advance(days=2)
    run()
    assert len(mail.outbox) == 1
    clock.advance(days=1)
    run()
    assert len(mail.outbox) == 2


def test_a_revoked_invite_kills_the_reminders_link_too(invited, clock, world):
    clock.advance(days=3)
    run()
    token = reminder_token(mail.outbox[0])
    services.invite_revoke(invite=invited.invite, actor=Actor.for_user(world.owner))
    page = Client().get(reverse("invite:organisation", args=[token]))
    assert page.status_code == 404
    assert "withdrew this link" in page.content.decode()


def _submit(link, world):
    assert Client().post(link.url("submit")).status_code == 302


def _revoke(link, world):
    services.invite_revoke(invite=link.invite, actor=Actor.for_user(world.owner))


def _issue(link, world):
    from proposals.services import proposal_issue

    proposal_issue(assessment=world.assessment, user=world.owner)


@pytest.mark.parametrize("close", [_submit, _revoke, _issue], ids=["submit", "revoke", "issue"])
def test_no_reminder_once_the_contact_submitted_or_the_link_closed(invited, clock, world, close):
    close(invited, world)
    mail.outbox.clear()  # the owner's "submitted" email
    clock.advance(days=3)
    run()
    assert [m for m in mail.outbox if m.to == ["priya@contoso.example"]] == []


def test_no_reminder_after_the_link_expires(clock, make_invite):
    make_invite(days=4)
    mail.outbox.clear()
    clock.advance(days=3)
    run()
    assert len(mail.outbox) == 1
    clock.advance(days=3)  # the second would be due now, but the link expired a day ago
    run()
    assert len(mail.outbox) == 1


def test_the_stop_link_asks_first_then_stops_them_once(invited, clock):
    clock.advance(days=3)
    run()
    path = STOP.search(mail.outbox[0].body).group(1)
    visitor = Client()
    page = visitor.get(path)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200
    assert "Stop reminders?" in page.content.decode()
    assert Invite.objects.get(pk=invited.invite.pk).reminders_stopped_at is None
    page = visitor.post(path)
    assert "Reminders stopped" in page.content.decode()
    again = visitor.post(path)
    assert again.status_code == 200 and "Reminders are stopped" in again.content.decode()
    invite = Invite.objects.get(pk=invited.invite.pk)
    assert invite.reminders_stopped_by == "the contact"
    clock.advance(days=10)
    run()
    assert len(mail.outbox) == 1
    # Stopping reminders leaves the link itself working.
    assert visitor.get(reverse("invite:organisation", args=[invited.token])).status_code == 200


def test_a_tampered_or_foreign_stop_link_is_refused_with_a_clear_page(invited):
    good = stop_url(invited.invite).rstrip("/").rsplit("/", 1)[1]
    value, signature = good.split(":", 1)
    other_pk = signing.dumps(invited.invite.pk + 1, salt="invites.reminders.stop")
    forged = [
        value.replace(value[-1], "A" if value[-1] != "A" else "B") + ":" + signature,
        good[:-3],
        signing.dumps(invited.invite.pk),  # signed for something else
        "not-a-signed-value",
        other_pk,  # well signed, but names no invite
    ]
    for signed in forged:
        for method in ("get", "post"):
            page = getattr(Client(), method)(reverse("invites:reminders-stop", args=[signed]))
            assert page.status_code == 404, signed
            assert "This link is not valid" in page.content.decode()
    assert Invite.objects.get(pk=invited.invite.pk).reminders_stopped_at is None


def test_staff_see_reminders_sent_and_the_next_date_and_can_stop_and_restart(
    invited, clock, login, world
):
    clock.advance(days=3)
    run()
    staff = login(world.owner)
    page_url = reverse("invites:invites", args=[world.assessment.pk])
    text = staff.get(page_url).content.decode()
    assert "Reminders: 1 of 2 sent" in text
    assert f", next {date_text(clock.now + timedelta(days=3))}" in text
    action = reverse("invites:invite-reminders", args=[world.assessment.pk])
    assert staff.post(action, {"invite": invited.invite.pk, "action": "stop"}).status_code == 302
    text = staff.get(page_url).content.decode()
    assert "stopped by Alice Ames" in text
    clock.advance(days=3)
    run()
    assert len(mail.outbox) == 1
    staff = login(world.owner)  # days later: a fresh login (sessions expire)
    restarted = staff.post(action, {"invite": invited.invite.pk, "action": "restart"})
    assert restarted["Location"] == page_url
    run()
    assert len(mail.outbox) == 2


def test_another_organisations_staff_cannot_stop_them(invited, login, world):
    outsider = login(world.outsider)
    action = reverse("invites:invite-reminders", args=[world.assessment.pk])
    assert outsider.post(action, {"invite": invited.invite.pk}).status_code == 404
    own = reverse("invites:invite-reminders", args=[world.other_assessment.pk])
    assert outsider.post(own, {"invite": invited.invite.pk}).status_code == 404
    assert Invite.objects.get(pk=invited.invite.pk).reminders_stopped_at is None


def test_the_policy_page_names_a_bad_value_beside_its_field_and_saves_nothing(login, world):
    admin = login(world.admin)
    url = reverse("invites:reminder-policy")
    page = admin.post(url, {"enabled": "on", "max_reminders": "9", "days_apart": "0"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "At most 5 reminders" in text and "At least 1 day apart." in text
    assert 'id="id_max_reminders-error"' in text and 'id="id_days_apart-error"' in text
    assert not ReminderPolicy.objects.exists()
    admin.post(url, {"max_reminders": "4", "days_apart": "10"})  # switch left off
    policy = ReminderPolicy.objects.get(organisation=world.org)
    assert (policy.enabled, policy.max_reminders, policy.days_apart) == (False, 4, 10)
    assert login(world.manager).get(url).status_code == 403


def test_a_failed_send_is_logged_without_the_link_and_retried_next_run(
    invited, clock, settings, caplog
):
    clock.advance(days=3)
    working = settings.MAILERS
    settings.MAILERS = {"default": {"BACKEND": "invites.tests.broken_mail.BrokenBackend"}}
    with caplog.at_level(logging.INFO):
        assert "1 failed" in run()
    assert "failed, to be retried" in caplog.text
    invite = Invite.objects.get(pk=invited.invite.pk)
    assert invite.reminders_sent == 0 and not InviteReminder.objects.exists()
    settings.MAILERS = working
    run()
    assert len(mail.outbox) == 1
    assert Invite.objects.get(pk=invited.invite.pk).reminders_sent == 1


def test_no_token_in_the_logs_or_in_the_database_in_clear(invited, clock, caplog):
    clock.advance(days=3)
    with caplog.at_level(logging.DEBUG):
        run()
        token = reminder_token(mail.outbox[0])
        Client().get(reverse("invite:organisation", args=[token]))
    assert InviteReminder.objects.get().token_hash == hash_invite_token(token)
    for raw in (token, invited.token):
        assert raw not in caplog.text
        dump = io.StringIO()
        call_command("dumpdata", "invites", "assessments", stdout=dump)
        assert raw not in dump.getvalue()


def test_a_reminder_claimed_by_another_run_is_not_sent_twice(invited, clock):
    clock.advance(days=3)
    assert reminder_send(invite_pk=invited.invite.pk) == "sent"
    assert reminder_send(invite_pk=invited.invite.pk) == "skipped"
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_one_email(invited, clock, monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises write transactions itself")
    import threading

    from invites import reminders

    real_send = reminders.reminder_send_email
    both_started = threading.Barrier(2, timeout=10)

    def slow_send(**kwargs):
        time.sleep(0.5)  # hold the claimed row while the other run looks at it
        real_send(**kwargs)

    monkeypatch.setattr(reminders, "reminder_send_email", slow_send)
    clock.advance(days=3)
    outputs = []

    def one_run():
        from django.db import connection as own

        try:
            both_started.wait()
            outputs.append(run())
        finally:
            own.close()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(o.split(";")[0] for o in outputs) == ["Sent 0 reminder(s)", "Sent 1 reminder(s)"]
    assert len(mail.outbox) == 1
    assert Invite.objects.get(pk=invited.invite.pk).reminders_sent == 1
