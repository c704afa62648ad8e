"""Customer links to an issued proposal: share, open, revoke, and the customer's decision.

A token is made like an invite's (256 random bits, 43 URL-safe characters) and only its
SHA-256 is stored, so a database leak opens no proposal; the raw token is shown to the
partner once. The customer's acceptance is written once, bound to the version's number and
the SHA-256 of its PDF, with the statement they ticked word for word and no address.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from assessments.models import Assessment
from assessments.services.versioning import Actor, record_change
from deals.services import deal_customer_decided
from invites.services import TOKEN_PATTERN, new_token, send_templated_email
from proposals.models import (
    DecisionKind,
    Proposal,
    ProposalDecision,
    ProposalLink,
    hash_link_token,
)
from tenancy.models import Membership, Role

logger = logging.getLogger(__name__)

DEFAULT_VALID_DAYS = 30
MAX_VALID_DAYS = 90


class LinkRefused(Exception):
    """A link was not made; the message says why and what to do."""


class DecisionRefused(Exception):
    """A decision was not recorded; the message says why, in the customer's words."""


@dataclass
class SharedLink:
    """A link with its raw URL, which exists only here (shown to the partner once)."""

    link: ProposalLink
    token: str
    url: str


def link_url(raw: str) -> str:
    """The absolute link a contact opens (``SITE_URL`` + ``/p/<token>/``)."""
    return settings.SITE_URL + reverse("proposal-link:view", args=[raw])


def latest_number(proposal: Proposal) -> int:
    """The number of the assessment's latest issued version."""
    return (
        Proposal.objects.filter(assessment_id=proposal.assessment_id)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or proposal.number
    )


def link_create(
    *,
    proposal: Proposal,
    contact_name: str,
    email: str,
    expires_at: datetime,
    actor: Actor,
) -> SharedLink:
    """Make a link for one named contact to read ``proposal`` and decide on it.

    Args:
        proposal: An issued version whose PDF is ready.
        contact_name: Who the link is for (shown on their page and to the partner).
        email: Their address (the partner's record; nothing is sent from here).
        expires_at: When the link stops working.
        actor: The member who shares it.

    Returns:
        The link with its raw URL, shown once.

    Raises:
        LinkRefused: The version's PDF is not ready yet, or a later version exists.
    """
    if not proposal.is_ready:
        raise LinkRefused(
            f"Version {proposal.number} has no PDF yet; share it once its PDF is ready."
        )
    latest = latest_number(proposal)
    if latest != proposal.number:
        raise LinkRefused(
            f"Version {proposal.number} has been replaced by version {latest}; share that one."
        )
    token = new_token()
    with transaction.atomic():
        link = ProposalLink(
            organisation_id=proposal.organisation_id,
            proposal=proposal,
            contact_name=contact_name.strip(),
            email=email.strip(),
            expires_at=expires_at,
            token_hash=hash_link_token(token),
            created_by=actor.user,
            created_by_name=actor.label[:160],
        )
        link.full_clean()
        link.save()
        record_change(
            assessment=proposal.assessment,
            obj=link,
            action="share",
            changed={},
            actor=actor,
            rescore=False,
            label=f"version {proposal.number} with {link.contact_name}",
        )
    return SharedLink(link=link, token=token, url=link_url(token))


def link_lookup(raw: str) -> ProposalLink | None:
    """The link behind a raw token in any state (revoked and expired too), or None.

    The caller tells a live link from a dead one (``is_active``): a dead link's page
    still names the partner to ask for a new one.
    """
    if not raw or not TOKEN_PATTERN.match(raw):
        return None
    return (
        ProposalLink.objects.select_related("proposal", "organisation")
        .filter(token_hash=hash_link_token(raw))
        .first()
    )


def link_opened(*, link: ProposalLink) -> None:
    """Count one open of the link's page: the first and last time, and how many (no address)."""
    now = timezone.now()
    ProposalLink.objects.filter(pk=link.pk).update(
        open_count=F("open_count") + 1,
        first_opened_at=Coalesce(F("first_opened_at"), now),
        last_opened_at=now,
    )


@transaction.atomic
def link_revoke(*, link: ProposalLink, actor: Actor) -> None:
    """Stop a link from working at once (a second revoke changes nothing)."""
    locked = ProposalLink.objects.select_for_update().get(pk=link.pk)
    if locked.revoked_at is not None:
        return
    locked.revoked_at = timezone.now()
    locked.revoked_by_name = actor.label[:160]
    locked.save(update_fields=["revoked_at", "revoked_by_name", "updated_at"])
    record_change(
        assessment=Assessment.objects.get(pk=link.proposal.assessment_id),
        obj=locked,
        action="revoke",
        changed={},
        actor=actor,
        rescore=False,
        label=f"version {link.proposal.number} for {locked.contact_name}",
    )


def acceptance_statement(proposal: Proposal, *, partner: str) -> str:
    """The statement a customer ticks to accept, shown and stored word for word.

    Built from the frozen version alone (customer, partner as issued, number, date and the
    PDF's SHA-256), so it reads the same whenever it is shown.

    Args:
        proposal: The issued version.
        partner: The partner's name as the version shows it.

    Returns:
        One paragraph of plain text.
    """
    issued = date_format(timezone.localtime(proposal.issued_at), "j F Y")
    return (
        f"On behalf of {proposal.customer_name}, I accept version {proposal.number} of the "
        f"Microsoft Teams Phone proposal from {partner}, issued on {issued}, as set out in "
        f"its PDF (SHA-256 fingerprint {proposal.sha256})."
    )


def partner_name(proposal: Proposal) -> str:
    """The partner's name as the version was issued (its frozen branding)."""
    return str((proposal.branding or {}).get("company_name") or "") or "your partner"


def decision_record(
    *,
    link: ProposalLink,
    kind: str,
    full_name: str,
    title: str = "",
    statement: str = "",
    comment: str = "",
) -> ProposalDecision:
    """Record a customer's acceptance of, or request for changes to, the link's version.

    The assessment's row is locked first, so a version being issued at the same moment
    is seen (an accept of a superseded version is refused), and two accepts never both
    pass; the database's unique constraint stands behind that.

    Args:
        link: The live link the customer used.
        kind: A :class:`~proposals.models.DecisionKind` value.
        full_name: The customer's full name as typed.
        title: Their job title (needed to accept).
        statement: The statement the accepting customer ticked; it must be the one shown.
        comment: What they want changed (needed to ask for changes).

    Returns:
        The decision as stored.

    Raises:
        DecisionRefused: The link no longer works, the version was replaced or already
            accepted, the statement is not the one this version shows, or a comment is
            missing.
    """
    proposal = link.proposal
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().get(pk=proposal.assessment_id)
        fresh = ProposalLink.objects.get(pk=link.pk)
        if not fresh.is_active:
            raise DecisionRefused("This link no longer works; nothing was recorded.")
        latest = latest_number(proposal)
        if latest != proposal.number:
            raise DecisionRefused(
                f"Version {proposal.number} has been replaced by version {latest}, so it can "
                f"no longer be accepted. Ask {partner_name(proposal)} for a link to the latest."
            )
        accepted = ProposalDecision.objects.filter(
            proposal=proposal, kind=DecisionKind.ACCEPTED
        ).first()
        if accepted is not None:
            raise DecisionRefused(
                f"Version {proposal.number} was already accepted by {accepted.full_name} on "
                f"{date_format(timezone.localtime(accepted.decided_at), 'j F Y')}; it is "
                "accepted once."
            )
        if kind == DecisionKind.ACCEPTED:
            expected = acceptance_statement(proposal, partner=partner_name(proposal))
            if statement != expected:
                raise DecisionRefused(
                    "The statement you ticked is not the one this version shows now; "
                    "read it again and tick it."
                )
        elif kind == DecisionKind.CHANGES:
            statement = ""
            if not comment.strip():
                raise DecisionRefused("Say what you would like changed.")
        else:
            raise DecisionRefused("Choose to accept or to ask for changes.")
        decision = ProposalDecision(
            organisation_id=proposal.organisation_id,
            proposal=proposal,
            link=fresh,
            kind=kind,
            full_name=full_name.strip(),
            title=title.strip(),
            statement=statement,
            comment=comment.strip(),
            proposal_number=proposal.number,
            sha256=proposal.sha256,
            decided_at=timezone.now(),
        )
        decision.full_clean()
        try:
            with transaction.atomic():
                decision.save(force_insert=True)
        except IntegrityError as exc:  # another accept won the race past the checks above
            raise DecisionRefused(
                f"Version {proposal.number} has just been accepted; it is accepted once."
            ) from exc
        # The sale moves with the decision, in the same transaction: never one without the other.
        deal_customer_decided(
            assessment=assessment,
            accepted=kind == DecisionKind.ACCEPTED,
            number=proposal.number,
            customer=decision_signature(decision),
        )
        record_change(
            assessment=assessment,
            obj=decision,
            action="accept" if kind == DecisionKind.ACCEPTED else "changes",
            changed={"comment": [None, decision.comment]} if decision.comment else {},
            actor=Actor(label=f"{decision.full_name} (customer)"),
            rescore=False,
            label=f"version {proposal.number}",
        )
        # Told once the decision is committed, so no email names a decision rolled back.
        transaction.on_commit(lambda: _tell_decided(decision.pk))
    return decision


def decision_signature(decision: ProposalDecision) -> str:
    """Who decided, as the partner reads it: "Priya Patel, CIO (customer)"."""
    who = ", ".join(part for part in (decision.full_name, decision.title) if part)
    return f"{who} (customer)"


def _tell_decided(decision_id: int) -> None:
    """Queue the email about a decision; a queue that fails is logged, never the customer's."""
    try:
        tell_decided.enqueue(decision_id)
    except Exception as exc:  # the decision stands; only its email is missing
        logger.warning("Email about decision %s was not queued: %s", decision_id, exc)


def decision_email(*, decision_id: int) -> int:
    """Email the assessment's owner and the organisation's managers a customer's decision.

    Says who decided and when, the version with its SHA-256 for an acceptance, the
    comment for a request for changes, and links to the staff proposal page: never to
    the customer's link, whose token the partner never keeps. A failure to send is
    logged; the decision is recorded either way.

    Args:
        decision_id: The decision, committed.

    Returns:
        How many people it was sent to (0 when nobody has an address, or sending failed).
    """
    decision = (
        ProposalDecision.objects.select_related(
            "proposal", "link", "proposal__assessment__customer", "proposal__assessment__owner"
        )
        .filter(pk=decision_id)
        .first()
    )
    if decision is None:
        return 0
    assessment = decision.proposal.assessment
    to = staff_to_tell(assessment)
    if not to:
        return 0
    accepted = decision.kind == DecisionKind.ACCEPTED
    try:
        send_templated_email(
            template="proposal-accepted" if accepted else "proposal-changes",
            context={
                "decision": decision,
                "assessment": assessment,
                "brand": assessment.organisation,
                "who": decision_signature(decision).removesuffix(" (customer)"),
                "url": settings.SITE_URL + reverse("proposals:proposal", args=[assessment.pk]),
            },
            to=to,
            from_email=settings.DEFAULT_FROM_EMAIL,
            reply_to=[],
        )
    except Exception as exc:
        logger.warning("Email about decision %s failed: %s", decision.pk, exc)
        return 0
    return len(to)


def staff_to_tell(assessment: Assessment, *also) -> list[str]:
    """The addresses of the assessment's owner, the organisation's managers and ``also``.

    Args:
        assessment: The assessment (its owner is read).
        also: More members to tell (who issued a version), ``None`` skipped.

    Returns:
        Sorted unique addresses of active people who have one.
    """
    people = [assessment.owner, *also]
    people += [
        m.user
        for m in Membership.objects.filter(
            organisation_id=assessment.organisation_id, role=Role.MANAGER
        ).select_related("user")
    ]
    return sorted({p.email for p in people if p is not None and p.is_active and p.email})


@task()
def tell_decided(decision_id: int) -> None:
    """Email the partner's people a customer's decision (the decision carries its tenant)."""
    decision_email(decision_id=decision_id)


def acceptance_of(proposal: Proposal) -> ProposalDecision | None:
    """The version's acceptance, if it has one."""
    return ProposalDecision.objects.filter(proposal=proposal, kind=DecisionKind.ACCEPTED).first()


def links_of(*, assessment: Assessment, user) -> QuerySet[ProposalLink]:
    """The customer links of an assessment's versions that ``user`` may see, newest first.

    Args:
        assessment: The assessment.
        user: The member asking; another organisation's member gets nothing.

    Returns:
        Links with their version's number and decisions, in one query each (never per link).
    """
    return (
        ProposalLink.objects.visible_to(user)
        .filter(proposal__assessment=assessment)
        .select_related("proposal")
        # The version's snapshot columns are large JSON; the list needs its number only.
        .defer(
            "proposal__document", "proposal__results", "proposal__branding", "proposal__thresholds"
        )
        .prefetch_related(
            Prefetch("decisions", queryset=ProposalDecision.objects.order_by("decided_at"))
        )
    )


def link_of(*, assessment: Assessment, user, pk: int | None) -> ProposalLink | None:
    """One customer link of the assessment, looked up within what ``user`` may see."""
    if not pk:
        return None
    return links_of(assessment=assessment, user=user).filter(pk=pk).first()


def link_expiry(days: int) -> datetime:
    """When a link made now for ``days`` days stops working."""
    return timezone.now() + timedelta(days=days)
