"""Invite links for customer contacts: issue, resolve, revoke, re-send, submit and reopen.

A token is ``secrets.token_urlsafe(32)`` (256 random bits, 43 URL-safe characters). Only
its SHA-256 is stored, so a database leak does not open any assessment; the raw token is
in the emailed link and shown to the sales engineer once.
"""

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from assessments import windows
from assessments.models import Assessment, Status
from assessments.services.assessments import assessment_update
from assessments.services.versioning import Actor, SaveResult, record_change, versioned_update
from invites.models import (
    Invite,
    InviteReminder,
    InviteSection,
    SubmissionNotice,
    hash_invite_token,
)

logger = logging.getLogger(__name__)

TOKEN_BYTES = 32
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")
DEFAULT_VALID_DAYS = 14
MAX_VALID_DAYS = 90
# Statuses in which customers may still change the assessment.
CUSTOMER_EDITABLE = frozenset({Status.DRAFT, Status.WORKSHOP, Status.WITH_CUSTOMER})
# Write last-used at most this often, so autosaves do not each write the invite row.
TOUCH_EVERY = timedelta(seconds=60)


def new_token() -> str:
    """A fresh random token for a link (256 bits from ``secrets``)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def invite_url(raw: str) -> str:
    """The absolute link a contact opens (``SITE_URL`` + ``/i/<token>/``)."""
    return settings.SITE_URL + reverse("invite:start", args=[raw])


@dataclass
class IssuedInvite:
    """An invite with its raw link, which exists only here and in the email."""

    invite: Invite
    token: str
    url: str
    sent: bool
    send_error: str = ""


def customer_can_edit(assessment: Assessment) -> bool:
    """Whether contacts may still change the assessment (not submitted or proposed yet)."""
    return assessment.status in CUSTOMER_EDITABLE


def _clean_sections(sections: list[str]) -> list[str]:
    wanted = set(sections)
    unknown = wanted - set(InviteSection.values)
    if unknown:
        raise ValueError(f"Unknown sections: {', '.join(sorted(unknown))}")
    if not wanted:
        raise ValueError("An invite must open at least one section.")
    return [value for value in InviteSection.values if value in wanted]


def invite_create(
    *,
    assessment: Assessment,
    contact_name: str,
    email: str,
    sections: list[str],
    expires_at: datetime,
    actor: Actor,
    send: bool = True,
) -> IssuedInvite:
    """Invite a customer contact to fill in ``sections`` of ``assessment`` until ``expires_at``.

    A draft assessment moves to "with customer". The email goes out after the invite is
    saved; a failed send keeps the invite (the sales engineer can copy the link instead).

    Returns:
        The invite with its raw link (shown once) and whether the email was sent.
    """
    token = new_token()
    with transaction.atomic():
        invite = Invite(
            assessment=assessment,
            contact_name=contact_name.strip(),
            email=email.strip(),
            sections=_clean_sections(sections),
            expires_at=expires_at,
            token_hash=hash_invite_token(token),
            created_by=actor.user,
            last_contacted_at=timezone.now(),
        )
        invite.full_clean()
        invite.save()
        record_change(
            assessment=assessment,
            obj=invite,
            action="invite",
            changed={"sections": [None, invite.section_labels()]},
            actor=actor,
        )
        if assessment.status == Status.DRAFT:
            assessment_update(
                assessment=assessment,
                base_version=Assessment.objects.values_list("version", flat=True).get(
                    pk=assessment.pk
                ),
                changes={"status": Status.WITH_CUSTOMER},
                actor=actor,
            )
    return _deliver(invite, token, send=send)


def _deliver(invite: Invite, token: str, *, send: bool) -> IssuedInvite:
    issued = IssuedInvite(invite=invite, token=token, url=invite_url(token), sent=False)
    if not send:
        return issued
    try:
        invite_send_email(invite=invite, url=issued.url)
    except Exception as exc:  # SMTP down, refused address…: the link still works
        logger.warning("Invite email to %s failed: %s", invite.email, exc)
        issued.send_error = str(exc) or exc.__class__.__name__
    else:
        issued.sent = True
        Invite.objects.filter(pk=invite.pk).update(
            sent_at=timezone.now(), send_count=invite.send_count + 1
        )
    return issued


def invite_resolve(raw: str) -> Invite | None:
    """The active invite behind a raw token, or None (unknown, malformed, expired, revoked)."""
    if not raw or not TOKEN_PATTERN.match(raw):
        return None
    invite = _invite_by_token(raw, "assessment__organisation", "assessment__customer")
    if invite is None or not invite.is_active:
        return None
    return invite


def invite_lookup(raw: str) -> Invite | None:
    """The invite a raw token names, active or not (None: unknown or malformed).

    The dead-link page uses it to name the partner to ask for a new link: whoever holds an
    expired or revoked link was sent it. An unknown token names nobody.

    Args:
        raw: the token from the URL.

    Returns:
        The invite with its assessment's organisation and owner, or None.
    """
    if not raw or not TOKEN_PATTERN.match(raw):
        return None
    return _invite_by_token(
        raw, "assessment__organisation", "assessment__customer", "assessment__owner"
    )


def _invite_by_token(raw: str, *related: str) -> Invite | None:
    hashed = hash_invite_token(raw)
    invites = Invite.objects.select_related(*related)
    invite = invites.filter(token_hash=hashed).first()
    if invite is None:
        # A reminder's own link opens the same invite (see invites/reminders.py); asked
        # second, so the first link costs one query as before.
        invite = invites.filter(reminders__token_hash=hashed).first()
    return invite


def invite_touch(*, invite: Invite, step: str = "") -> None:
    """Remember when the link was last used and, for a page of the questionnaire, where."""
    now = timezone.now()
    updates: dict = {}
    if invite.last_used_at is None or now - invite.last_used_at >= TOUCH_EVERY:
        updates["last_used_at"] = now
    if step and step != invite.last_step:
        updates["last_step"] = step
    if updates:
        Invite.objects.filter(pk=invite.pk).update(**updates)
        for name, value in updates.items():
            setattr(invite, name, value)


@transaction.atomic
def invite_revoke(*, invite: Invite, actor: Actor) -> None:
    """Stop a link from working at once."""
    if invite.revoked_at is not None:
        return
    invite.revoked_at = timezone.now()
    invite.save(update_fields=["revoked_at", "updated_at"])
    record_change(
        assessment=invite.assessment, obj=invite, action="revoke", changed={}, actor=actor
    )


def invite_resend(
    *, invite: Invite, actor: Actor, expires_at: datetime | None = None, send: bool = True
) -> IssuedInvite:
    """Issue a new link for the same contact and sections; the old link stops working.

    A revoked or expired invite becomes active again; its expiry moves to ``expires_at``,
    or to at least ``DEFAULT_VALID_DAYS`` from now.
    """
    token = new_token()
    with transaction.atomic():
        locked = Invite.objects.select_for_update().get(pk=invite.pk)
        locked.token_hash = hash_invite_token(token)
        locked.revoked_at = None
        floor = timezone.now() + timedelta(days=DEFAULT_VALID_DAYS)
        locked.expires_at = expires_at or max(locked.expires_at, floor)
        # A new link kills every older one, the reminders' links too, and starts the
        # reminders afresh: the count is per link given, and it was just given.
        locked.reminders_sent = 0
        locked.last_contacted_at = timezone.now()
        locked.save(
            update_fields=[
                "token_hash",
                "revoked_at",
                "expires_at",
                "reminders_sent",
                "last_contacted_at",
                "updated_at",
            ]
        )
        InviteReminder.objects.filter(invite=locked).update(token_hash=None)
        record_change(
            assessment=locked.assessment, obj=locked, action="resend", changed={}, actor=actor
        )
    return _deliver(locked, token, send=send)


def _partner_from(assessment: Assessment) -> str:
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((assessment.organisation.display_name, address or "noreply@localhost"))


def send_templated_email(
    *, template: str, context: dict, to: list[str], from_email: str, reply_to: list[str]
) -> None:
    """Send ``emails/<template>-{subject,body-text,body-html}.html`` with text and HTML parts."""
    subject = " ".join(render_to_string(f"emails/{template}-subject.html", context).split())
    text = render_to_string(f"emails/{template}-body-text.html", context)
    html = render_to_string(f"emails/{template}-body-html.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email,
        to=to,
        reply_to=[r for r in reply_to if r],
    )
    message.attach_alternative(html, "text/html")
    message.send()


def contact_email_context(invite: Invite, url: str) -> dict:
    """What an email to a contact about their link reads: the link, partner, sender, sections.

    Args:
        invite: The contact's invite (with its assessment, organisation and customer).
        url: The link to the questionnaire carried by this email.

    Returns:
        The template context; ``sender`` is the member who invited them (or the owner).
    """
    assessment = invite.assessment
    sender = invite.created_by or assessment.owner
    return {
        "invite": invite,
        "url": url,
        "assessment": assessment,
        "brand": assessment.organisation,
        "customer": assessment.customer,
        "sender": sender,
        "sender_name": sender.get_full_name() or sender.get_username(),
        "sections": invite.section_labels(),
        "site_url": settings.SITE_URL,
    }


def contact_email_send(*, invite: Invite, template: str, context: dict) -> None:
    """Send ``template`` to the contact, from the partner, replying to the sender."""
    sender = context["sender"]
    send_templated_email(
        template=template,
        context=context,
        to=[invite.email],
        from_email=_partner_from(invite.assessment),
        reply_to=[sender.email or invite.assessment.organisation.contact_email],
    )


def invite_send_email(*, invite: Invite, url: str) -> None:
    """Email the contact their link, in the partner's branding, replying to the sales engineer."""
    contact_email_send(invite=invite, template="invite", context=contact_email_context(invite, url))


def assessment_submit(*, invite: Invite) -> SaveResult:
    """A contact submits the assessment: it becomes read-only for contacts and the owner is told.

    Raises:
        PermissionError: the assessment is no longer open to contacts.
    """
    actor = Actor(label=invite.actor_label)
    now = timezone.now()
    with transaction.atomic():
        locked = Assessment.objects.select_for_update(no_key=True).get(pk=invite.assessment_id)
        if not customer_can_edit(locked):
            raise PermissionError("This assessment has been submitted already.")
        # A customer's submission is its own move (also from draft or workshop), so it
        # bypasses the staff status form's flow check; it is logged like any other change.
        result = versioned_update(
            obj=locked,
            base_version=locked.version,
            changes={"status": Status.SUBMITTED, "status_changed_at": now, "submitted_at": now},
            actor=actor,
            assessment=locked,
        )
        Invite.objects.filter(pk=invite.pk).update(submitted_at=now)
        invite.submitted_at = now
        SubmissionNotice.objects.create(
            assessment=locked, invite=invite, submitted_by=invite.contact_name
        )
    invite.assessment.refresh_from_db()
    _notify_owner(invite)
    return result


def _notify_owner(invite: Invite) -> None:
    assessment = invite.assessment
    owner = assessment.owner
    if not owner.email:
        logger.warning("Assessment %s was submitted; its owner has no email.", assessment.pk)
        return
    # The stored results, as the customer's results page reads them: scoring the whole
    # estate again here made a 2,000-site customer's submit wait seconds.
    result = windows.estate_result(windows.estate(assessment))
    try:
        send_templated_email(
            template="submitted",
            context={
                "invite": invite,
                "assessment": assessment,
                "brand": assessment.organisation,
                "owner_name": owner.get_full_name() or owner.get_username(),
                "url": settings.SITE_URL
                + reverse("assessments:assessment-detail", args=[assessment.pk]),
                "result": result,
                "site_count": result.summary.site_count,
            },
            to=[owner.email],
            from_email=settings.DEFAULT_FROM_EMAIL,
            reply_to=[invite.email],
        )
    except Exception as exc:  # the submission stands; the dashboard badge still shows it
        logger.warning("Submission email for assessment %s failed: %s", assessment.pk, exc)


def invites_open(*, assessment: Assessment) -> list[Invite]:
    """Links that still open the questionnaire to a contact who has not submitted.

    Issuing a proposal closes the assessment to them: the issue page names them first.
    """
    return list(
        Invite.objects.filter(
            assessment=assessment,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            submitted_at__isnull=True,
        ).order_by("contact_name", "pk")
    )


def invites_tell_closed(*, assessment: Assessment, invites: list[Invite], by) -> int:
    """Email contacts that their questionnaire closed because a proposal was issued.

    Args:
        assessment: The assessment whose proposal was just issued.
        invites: The contacts to tell (see :func:`invites_open`).
        by: The member who issued it; replies go to them.

    Returns:
        How many emails were sent (a failure is logged and the rest still go).
    """
    sender_name = by.get_full_name() or by.get_username()
    sent = 0
    for invite in invites:
        try:
            send_templated_email(
                template="closed",
                context={
                    "invite": invite,
                    "assessment": assessment,
                    "brand": assessment.organisation,
                    "customer": assessment.customer,
                    "sender_name": sender_name,
                },
                to=[invite.email],
                from_email=_partner_from(assessment),
                reply_to=[by.email or assessment.organisation.contact_email],
            )
        except Exception as exc:  # the proposal stands; the page says how many were told
            logger.warning("Closing email for invite %s failed: %s", invite.pk, exc)
        else:
            sent += 1
    return sent


def assessment_reopen(*, assessment: Assessment, actor: Actor) -> SaveResult:
    """Give a submitted assessment back to the customer: status "with customer", links work."""
    result = assessment_update(
        assessment=assessment,
        base_version=Assessment.objects.values_list("version", flat=True).get(pk=assessment.pk),
        changes={"status": Status.WITH_CUSTOMER},
        actor=actor,
    )
    submissions_mark_seen(assessment=assessment)
    return result


def submissions_unseen(*, user) -> QuerySet[SubmissionNotice]:
    """Customer submissions of the user's own assessments that the user has not opened yet."""
    return SubmissionNotice.objects.filter(
        assessment__owner=user, assessment__status=Status.SUBMITTED, seen_at__isnull=True
    )


def submissions_mark_seen(*, assessment: Assessment) -> None:
    """The owner has looked at the assessment: its "new" badge goes."""
    SubmissionNotice.objects.filter(assessment=assessment, seen_at__isnull=True).update(
        seen_at=timezone.now()
    )


def invite_list(*, assessment: Assessment) -> QuerySet[Invite]:
    """An assessment's invites, newest first, with who created them."""
    return assessment.invites.select_related("created_by")
