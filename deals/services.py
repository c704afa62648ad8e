"""Changing deals: a stage, value or seats moved with its history; pipeline views saved."""

from decimal import Decimal
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import Assessment
from deals.models import (
    BEFORE_ACCEPTED,
    BEFORE_NEGOTIATING,
    BEFORE_PROPOSAL,
    Deal,
    DealChange,
    LostReason,
    SavedFilter,
    Stage,
)
from deals.selectors import with_deal

# The pipeline's query keys a saved view may keep; anything else is dropped on save.
SAVED_KEYS = ("q", "status", "owner", "model", "band", "country", "stage", "sort")
MAX_SAVED_FILTERS = 30


class StaleDeal(ValidationError):
    """Someone changed the deal after the form was loaded."""


def _start(assessment: Assessment) -> Deal:
    """An unsaved deal where the derived stage stands (see :func:`deals.selectors.with_deal`)."""
    derived = with_deal(Assessment.objects.filter(pk=assessment.pk)).values(
        "deal_stage", "deal_since", "deal_seats"
    )[0]
    return Deal(
        organisation_id=assessment.organisation_id,
        assessment=assessment,
        stage=derived["deal_stage"],
        stage_since=derived["deal_since"],
        version=0,
    )


def deal_for(assessment: Assessment) -> Deal:
    """The assessment's deal, or an unsaved one showing the stage it stands at."""
    return Deal.objects.filter(assessment=assessment).first() or _start(assessment)


def _describe(before: Deal, after: Deal) -> str:
    parts = []
    if before.stage != after.stage:
        parts.append(f"{before.get_stage_display()} → {after.get_stage_display()}")
        if after.stage == Stage.LOST:
            parts.append(f"reason: {LostReason(after.lost_reason).label}")
    if (before.value, before.currency) != (after.value, after.currency):
        value = "none" if after.value is None else f"{after.value:,.2f} {after.currency}"
        parts.append(f"value {value}")
    if before.seats != after.seats:
        parts.append(f"seats {after.seats if after.seats is not None else 'none'}")
    if before.note != after.note:
        parts.append("note changed")
    return "; ".join(parts)


def deal_update(
    *,
    assessment: Assessment,
    user,
    base_version: int,
    stage: str,
    value: Decimal | None,
    currency: str,
    seats: int | None,
    lost_reason: str = "",
    note: str = "",
) -> tuple[Deal, bool]:
    """Move an assessment's deal, over the version its author saw.

    Args:
        assessment: The assessment, already checked to be visible to ``user``.
        user: Who moves it (kept in the history).
        base_version: The deal's version the form showed (0 while there was no deal).
        stage: The stage it moves to (or stays at).
        value: What the deal is worth, ``None`` when not known.
        currency: The value's currency.
        seats: Users who get Teams Phone, ``None`` for the users of the sites.
        lost_reason: Why a lost deal was lost (required then, dropped otherwise).
        note: A line about the deal.

    Returns:
        The deal and whether anything changed (saving it unchanged records nothing).

    Raises:
        StaleDeal: The deal changed since ``base_version``.
        ValidationError: A lost deal without its reason.
    """
    if stage == Stage.LOST and not lost_reason:
        raise ValidationError({"lost_reason": "Say why the deal was lost."})
    with transaction.atomic():
        Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
        deal = Deal.objects.select_for_update().filter(assessment=assessment).first()
        current = deal or _start(assessment)
        if current.version != base_version:
            raise StaleDeal(
                "Someone changed this deal while you were editing it; here it is as it is now."
            )
        before = Deal(
            stage=current.stage,
            value=current.value,
            currency=current.currency,
            seats=current.seats,
            note=current.note,
            lost_reason=current.lost_reason,
        )
        current.value, current.currency, current.seats = value, currency, seats
        current.note = note
        current.lost_reason = lost_reason if stage == Stage.LOST else ""
        now = timezone.now()
        if current.stage != stage:
            current.stage, current.stage_since = stage, now
        summary = _describe(before, current)
        if not summary:
            return current, False
        current.version += 1
        try:
            with transaction.atomic():
                current.save()
        except IntegrityError as exc:  # another first save of the same deal won the race
            raise StaleDeal("Someone started this deal at the same time; look again.") from exc
        DealChange.objects.create(
            deal=current,
            at=now,
            by=user,
            stage_from=before.stage if before.stage != current.stage else "",
            stage_to=current.stage,
            summary=summary,
        )
    return current, True


def deal_proposal_issued(*, assessment: Assessment, number: int, user) -> None:
    """Move a deal not yet past "Assessing" to "Proposal sent" when a version is issued.

    Deals further on (negotiating, won, lost) stay where their people put them; an
    assessment without a deal shows the stage derived from the issue already.
    """
    deal = (
        Deal.objects.select_for_update()
        .filter(assessment=assessment, stage__in=BEFORE_PROPOSAL)
        .first()
    )
    if deal is None:
        return
    now = timezone.now()
    DealChange.objects.create(
        deal=deal,
        at=now,
        by=user,
        stage_from=deal.stage,
        stage_to=Stage.PROPOSAL,
        summary=f"{deal.get_stage_display()} → {Stage.PROPOSAL.label}: version {number} issued",
    )
    deal.stage, deal.stage_since = Stage.PROPOSAL, now
    deal.version += 1
    deal.save()


def deal_customer_decided(
    *, assessment: Assessment, accepted: bool, number: int, customer: str
) -> Deal | None:
    """Move the deal on when the customer accepts a version, or asks for changes to it.

    An acceptance moves a deal not yet there to "Accepted" (ready to close); a request
    for changes moves a deal still before "Negotiating" to it. A deal already there or
    further on stays (closed deals never move back), so deciding twice moves it once. An
    assessment nobody had moved gets its deal here, from the stage it showed. Called
    inside the transaction that records the decision, with the assessment's row locked.

    Args:
        assessment: The assessment whose version was decided on.
        accepted: ``True`` for an acceptance, ``False`` for a request for changes.
        number: The version decided on.
        customer: Who decided, as the history shows them ("Priya Patel, CIO (customer)").

    Returns:
        The deal as moved, or ``None`` when it stayed where it was.
    """
    target, before = (
        (Stage.ACCEPTED, BEFORE_ACCEPTED) if accepted else (Stage.NEGOTIATING, BEFORE_NEGOTIATING)
    )
    deal = Deal.objects.select_for_update().filter(assessment=assessment).first()
    deal = deal or _start(assessment)
    if deal.stage not in before:
        return None
    now = timezone.now()
    what = "accepted" if accepted else "changes asked for"
    stage_from = deal.stage
    label_from = Stage(stage_from).label
    deal.stage, deal.stage_since = target, now
    deal.version += 1
    deal.save()
    DealChange.objects.create(
        deal=deal,
        at=now,
        by=None,
        by_name=customer[:160],
        stage_from=stage_from,
        stage_to=target,
        summary=f"{label_from} → {target.label}: version {number} {what} through its link"[:300],
    )
    return deal


def saved_query(query: dict[str, list[str]]) -> str:
    """The part of a pipeline query string worth keeping: known keys, non-blank, no page."""
    kept = [(key, value) for key in SAVED_KEYS for value in query.get(key, []) if value.strip()]
    return urlencode(kept)


def saved_filter_create(*, user, organisation, name: str, query: dict[str, list[str]]):
    """Keep the pipeline's current filters under a name (the same name replaces the old one).

    Raises:
        ValidationError: No name, no filter to keep, or too many views saved already.
    """
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Give the view a name.")
    kept = saved_query(query)
    if not kept:
        raise ValidationError("Choose a filter or a sort first: there is nothing to keep yet.")
    mine = SavedFilter.objects.filter(user=user, organisation=organisation)
    existing = mine.filter(name=name).first()
    if existing is None and mine.count() >= MAX_SAVED_FILTERS:
        raise ValidationError(
            f"You have {MAX_SAVED_FILTERS} saved views already; remove one you no longer use."
        )
    if existing:
        existing.query = kept
        existing.save(update_fields=["query", "updated_at"])
        return existing
    return SavedFilter.objects.create(user=user, organisation=organisation, name=name, query=kept)
