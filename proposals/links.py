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
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from assessments.models import Assessment
from assessments.services.versioning import Actor, record_change
from invites.services import TOKEN_PATTERN, new_token
from proposals.models import (
    DecisionKind,
    Proposal,
    ProposalDecision,
    ProposalLink,
    hash_link_token,
)

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
        record_change(
            assessment=assessment,
            obj=decision,
            action="accept" if kind == DecisionKind.ACCEPTED else "changes",
            changed={"comment": [None, decision.comment]} if decision.comment else {},
            actor=Actor(label=f"{decision.full_name} (customer)"),
            rescore=False,
            label=f"version {proposal.number}",
        )
    return decision


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
