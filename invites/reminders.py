"""Reminders to invited contacts who have not finished: the policy, who is due, sending, stopping.

How a reminder opens the questionnaire: only the SHA-256 of an invite's token is stored, so
the first link cannot be repeated. Each reminder carries a fresh token of its own
(``InviteReminder.token_hash``, hashed like the invite's), which opens the same invite while
the invite works: it expires and is revoked with it (both are read from the invite), and a
re-send clears every reminder token, so a new link still kills all older ones. The first
link keeps working beside the reminders' links.

Sending runs from cron (``manage.py send_invite_reminders``). Each invite is claimed under a
row lock taken with SKIP LOCKED and checked again under it, so two runs at once (or on two
hosts) send one email; on SQLite every write transaction takes the write lock first, which
serialises runs the same way. The email is sent inside that transaction: a failure rolls the
reminder back, so it is not counted and the next run tries again.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from assessments.services.versioning import Actor, record_change
from invites.models import Invite, InviteReminder, ReminderPolicy, hash_invite_token
from invites.services import (
    CUSTOMER_EDITABLE,
    contact_email_context,
    contact_email_send,
    invite_url,
    new_token,
)
from tenancy.models import Organisation

logger = logging.getLogger(__name__)

STOP_SALT = "invites.reminders.stop"
# Candidates are read in pages of this many invites, so a run never holds a long query.
BATCH = 200
# The most reminders one run sends; the rest wait for the next run (cron runs it often).
SEND_LIMIT = 1000


def policy_for(organisation: Organisation) -> ReminderPolicy:
    """The organisation's reminder policy, or an unsaved one with the defaults.

    Args:
        organisation: The partner organisation.

    Returns:
        Its saved policy, or the defaults (on, at most 2, at least 3 days apart).
    """
    policy = ReminderPolicy.objects.filter(organisation=organisation).first()
    return policy or ReminderPolicy(organisation=organisation)


def policy_update(
    *, organisation: Organisation, enabled: bool, max_reminders: int, days_apart: int
) -> ReminderPolicy:
    """Save the organisation's reminder policy (validated whole: nothing saved when refused).

    Args:
        organisation: The partner organisation.
        enabled: Whether reminders go out at all.
        max_reminders: At most this many reminders per contact (0 to 5).
        days_apart: At least this many days between two emails to a contact (1 to 30).

    Returns:
        The saved policy.

    Raises:
        ValidationError: a value is out of range.
    """
    policy = policy_for(organisation)
    policy.enabled = enabled
    policy.max_reminders = max_reminders
    policy.days_apart = days_apart
    policy.full_clean(exclude=["organisation"])
    policy.save()
    return policy


def _last_contacted(invite: Invite) -> datetime:
    # Invites issued before reminders existed have no last_contacted_at: their last email
    # is the invite itself (sent_at), or, when it was never emailed, its creation.
    return invite.last_contacted_at or invite.sent_at or invite.created_at


@dataclass
class ReminderState:
    """Where an invite's reminders stand, as the staff invite page shows it."""

    sent: int
    allowed: int
    # "due" (one will go, at next_at), "stopped", "done" (all sent), "off" (the
    # organisation turned them off), "closed" (link dead, submitted or locked).
    state: str
    next_at: datetime | None = None
    stopped_at: datetime | None = None
    stopped_by: str = ""


def reminder_state(invite: Invite, policy: ReminderPolicy, *, can_edit: bool) -> ReminderState:
    """Where the invite's reminders stand and when the next one goes.

    Args:
        invite: The invite.
        policy: Its organisation's policy (see :func:`policy_for`).
        can_edit: Whether contacts may still change the assessment (not submitted or
            locked by an issued proposal).

    Returns:
        Reminders sent, allowed, the state and the next date when one is due.
    """
    state = ReminderState(
        sent=invite.reminders_sent,
        allowed=policy.max_reminders,
        state="due",
        stopped_at=invite.reminders_stopped_at,
        stopped_by=invite.reminders_stopped_by,
    )
    if not invite.is_active or invite.submitted_at or not can_edit:
        state.state = "closed"
    elif invite.reminders_stopped_at:
        state.state = "stopped"
    elif not policy.enabled:
        state.state = "off"
    elif invite.reminders_sent >= policy.max_reminders:
        state.state = "done"
    else:
        next_at = max(_last_contacted(invite) + timedelta(days=policy.days_apart), timezone.now())
        # Never after the link expires: a reminder would carry a dead link.
        if next_at < invite.expires_at:
            state.next_at = next_at
        else:
            state.state = "done"
    return state


def _is_due(invite: Invite, policy: ReminderPolicy, now: datetime) -> bool:
    return (
        policy.enabled
        and invite.revoked_at is None
        and invite.expires_at > now
        and invite.submitted_at is None
        and invite.reminders_stopped_at is None
        and invite.assessment.status in CUSTOMER_EDITABLE
        and invite.reminders_sent < policy.max_reminders
        and _last_contacted(invite) <= now - timedelta(days=policy.days_apart)
    )


def _candidates(now: datetime):
    """Invites that may be due: the exact policy of each is checked under its row lock."""
    return (
        Invite.objects.filter(
            revoked_at__isnull=True,
            expires_at__gt=now,
            submitted_at__isnull=True,
            reminders_stopped_at__isnull=True,
            assessment__status__in=CUSTOMER_EDITABLE,
            reminders_sent__lt=ReminderPolicy.MAX_REMINDERS_LIMIT,
        )
        .exclude(assessment__organisation__reminder_policy__enabled=False)
        .annotate(last=Coalesce("last_contacted_at", "sent_at", "created_at"))
        .filter(last__lte=now - timedelta(days=ReminderPolicy.MIN_DAYS_APART))
        .order_by("pk")
    )


@dataclass
class RunResult:
    """What one run did."""

    sent: int = 0
    failed: int = 0


def reminders_send_due(*, limit: int = SEND_LIMIT) -> RunResult:
    """Email a reminder to every contact that is due one (see :func:`_is_due`).

    Args:
        limit: The most reminders this run sends; the rest wait for the next run.

    Returns:
        How many reminders were sent and how many failed (to be retried next run).
    """
    result = RunResult()
    after = 0
    policies: dict[int, ReminderPolicy] = {}
    while result.sent + result.failed < limit:
        now = timezone.now()
        page = list(
            _candidates(now)
            .filter(pk__gt=after)
            .values_list("pk", "reminders_sent", "last", "assessment__organisation_id")[:BATCH]
        )
        if not page:
            break
        for pk, sent, last, organisation_id in page:
            if result.sent + result.failed >= limit:
                break
            policy = _policy_of(organisation_id, policies)
            # Not due by its own policy yet: left without taking a lock.
            if sent >= policy.max_reminders or last > now - timedelta(days=policy.days_apart):
                continue
            outcome = reminder_send(invite_pk=pk, policies=policies)
            if outcome == "sent":
                result.sent += 1
            elif outcome == "failed":
                result.failed += 1
        after = page[-1][0]
    return result


def _policy_of(organisation_id: int, policies: dict[int, ReminderPolicy]) -> ReminderPolicy:
    """The organisation's policy, read once per run (``policies`` remembers them)."""
    if organisation_id not in policies:
        policies[organisation_id] = ReminderPolicy.objects.filter(
            organisation_id=organisation_id
        ).first() or ReminderPolicy(organisation_id=organisation_id)
    return policies[organisation_id]


def reminder_send(*, invite_pk: int, policies: dict[int, ReminderPolicy] | None = None) -> str:
    """Send the next reminder of one invite if it is due, claiming it under a row lock.

    Args:
        invite_pk: The invite.
        policies: Policies already read this run, by organisation id (filled as read).

    Returns:
        ``"sent"``, ``"skipped"`` (not due, or another run holds it) or ``"failed"``.
    """
    policies = {} if policies is None else policies
    token = new_token()
    try:
        with transaction.atomic():
            # SKIP LOCKED: a row another run is sending for is left to it. "of self" locks
            # the invite only (and PostgreSQL refuses FOR UPDATE on the nullable join).
            invite = (
                Invite.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related(
                    "assessment__organisation",
                    "assessment__customer",
                    "assessment__owner",
                    "created_by",
                )
                .filter(pk=invite_pk)
                .first()
            )
            if invite is None:
                return "skipped"
            now = timezone.now()
            policy = _policy_of(invite.assessment.organisation_id, policies)
            # Checked again under the lock: a run that just finished has moved the dates on.
            if not _is_due(invite, policy, now):
                return "skipped"
            number = invite.reminders_sent + 1
            InviteReminder.objects.create(
                invite=invite, number=number, sent_at=now, token_hash=hash_invite_token(token)
            )
            Invite.objects.filter(pk=invite.pk).update(reminders_sent=number, last_contacted_at=now)
            invite.reminders_sent = number
            record_change(
                assessment=invite.assessment,
                obj=invite,
                action="remind",
                changed={"reminders_sent": [number - 1, number]},
                actor=Actor(label="Automatic reminder"),
                rescore=False,
            )
            reminder_send_email(invite=invite, url=invite_url(token), number=number)
    except Exception as exc:  # SMTP down, refused address…: rolled back, retried next run
        # The exception's text, never the link: it holds the token.
        logger.warning(
            "Reminder to invite %s failed, to be retried on the next run: %s",
            invite_pk,
            exc.__class__.__name__,
        )
        return "failed"
    logger.info("Reminder %s sent to invite %s", number, invite_pk)
    return "sent"


def stop_url(invite: Invite) -> str:
    """The signed "stop reminders" link of an invite (no login; bound to the invite)."""
    signed = signing.dumps(invite.pk, salt=STOP_SALT, compress=False)
    return settings.SITE_URL + reverse("invites:reminders-stop", args=[signed])


def stop_resolve(signed: str) -> Invite | None:
    """The invite a signed stop link names, or None when tampered with, foreign or gone."""
    try:
        pk = signing.loads(signed, salt=STOP_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return (
        Invite.objects.select_related("assessment__organisation", "assessment__customer")
        .filter(pk=pk)
        .first()
    )


def reminder_send_email(*, invite: Invite, url: str, number: int) -> None:
    """Email the contact a reminder with a fresh link, its expiry, and a link to stop them."""
    context = contact_email_context(invite, url)
    context.update(
        stop_url=stop_url(invite), number=number, started=invite.last_used_at is not None
    )
    contact_email_send(invite=invite, template="reminder", context=context)


def reminders_stop(*, invite: Invite, by: str, actor: Actor | None = None) -> bool:
    """Stop the invite's reminders (idempotent: a second stop changes nothing).

    Args:
        invite: The invite.
        by: Who stopped them, as the staff page shows it ("the contact", a member's name).
        actor: The member who stopped them, logged in the assessment's activity; None when
            the contact did, through the link in a reminder.

    Returns:
        Whether this call stopped them (False: they were stopped already).
    """
    return _reminders_switch(
        invite=invite,
        stopped=True,
        by=by,
        actor=actor or Actor(label=invite.actor_label),
    )


def reminders_restart(*, invite: Invite, actor: Actor) -> bool:
    """Let the invite's reminders go out again, on the organisation's schedule.

    Args:
        invite: The invite.
        actor: The member who restarted them.

    Returns:
        Whether they were stopped before.
    """
    return _reminders_switch(invite=invite, stopped=False, by="", actor=actor)


def _reminders_switch(*, invite: Invite, stopped: bool, by: str, actor: Actor) -> bool:
    """Stop (or restart) the invite's reminders once, logging the change; False if already so."""
    with transaction.atomic():
        switched = Invite.objects.filter(pk=invite.pk, reminders_stopped_at__isnull=stopped).update(
            reminders_stopped_at=timezone.now() if stopped else None,
            reminders_stopped_by=by,
        )
        if switched:
            record_change(
                assessment=invite.assessment,
                obj=invite,
                action="remind-off" if stopped else "remind-on",
                changed={},
                actor=actor,
                rescore=False,
            )
    invite.refresh_from_db(fields=["reminders_stopped_at", "reminders_stopped_by"])
    return bool(switched)
