"""Reading deals: each assessment's stage (its deal's, or one derived), and totals per stage."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    IntegerField,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessments.models import Assessment, Status
from deals.models import Deal, Stage
from proposals.models import Proposal, ProposalDecision, ProposalLink


def with_deal(qs: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Annotate assessments with their deal's stage, since when, value, currency and seats.

    An assessment nobody has moved yet is "Assessing", or "Proposal sent" once a proposal
    was issued, since it was created or issued; its seats are the users its sites count.
    One joined row and one subquery, whatever the number of assessments.

    Args:
        qs: Assessments already limited to what the user may see.

    Returns:
        The same rows with ``deal_stage``, ``deal_since``, ``deal_value``,
        ``deal_currency``, ``deal_seats`` and ``deal_lost_reason``.
    """
    first_issued = Proposal.objects.filter(assessment=OuterRef("pk")).order_by("number")
    derived = Case(
        When(status=Status.PROPOSAL_ISSUED, then=Value(Stage.PROPOSAL.value)),
        default=Value(Stage.ASSESSING.value),
        output_field=CharField(),
    )
    derived_since = Case(
        When(
            status=Status.PROPOSAL_ISSUED,
            then=Coalesce(Subquery(first_issued.values("issued_at")[:1]), F("created_at")),
        ),
        default=F("created_at"),
        output_field=DateTimeField(),
    )
    order = Case(
        *(When(deal_stage=value, then=Value(i)) for i, value in enumerate(Stage.values)),
        output_field=IntegerField(),
    )
    return qs.annotate(
        deal_stage=Coalesce(F("deal__stage"), derived, output_field=CharField()),
        deal_since=Coalesce(F("deal__stage_since"), derived_since, output_field=DateTimeField()),
        deal_value=F("deal__value"),
        deal_currency=F("deal__currency"),
        deal_seats=Coalesce(F("deal__seats"), F("score_summary__user_count")),
        deal_lost_reason=F("deal__lost_reason"),
    ).annotate(deal_stage_order=order)


def with_customer_view(qs: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Annotate assessments with how their customer links were opened, and the last decision.

    Opens are counted over every link of every version (the partner asks "has the
    customer looked at all?"); the decision is the latest on any version, so a request
    for changes to version 2 shows after the acceptance of version 1. Correlated
    subqueries, so one query whatever the number of assessments.

    Args:
        qs: Assessments already limited to what the user may see.

    Returns:
        The same rows with ``viewed_first`` (first open, or ``None``), ``viewed_opens``
        (0 when never opened), ``viewed_links`` (links shared, 0 when none), and
        ``decision_kind``, ``decision_at``, ``decision_name``, ``decision_title`` and
        ``decision_number`` (``None`` while nobody decided).
    """
    mine = ProposalLink.objects.filter(proposal__assessment=OuterRef("pk")).order_by()
    per_assessment = mine.values("proposal__assessment")
    latest = ProposalDecision.objects.filter(proposal__assessment=OuterRef("pk")).order_by(
        "-decided_at", "-pk"
    )
    return qs.annotate(
        viewed_first=Subquery(
            per_assessment.annotate(first=Min("first_opened_at")).values("first")[:1]
        ),
        viewed_opens=Coalesce(
            Subquery(per_assessment.annotate(n=Sum("open_count")).values("n")[:1]), 0
        ),
        viewed_links=Coalesce(Subquery(per_assessment.annotate(n=Count("pk")).values("n")[:1]), 0),
        decision_kind=Subquery(latest.values("kind")[:1]),
        decision_at=Subquery(latest.values("decided_at")[:1]),
        decision_name=Subquery(latest.values("full_name")[:1]),
        decision_title=Subquery(latest.values("title")[:1]),
        decision_number=Subquery(latest.values("proposal_number")[:1]),
    )


def customer_view_of(assessment: Assessment) -> dict:
    """One assessment's opens and last decision, as :func:`with_customer_view` counts them."""
    return (
        with_customer_view(Assessment.objects.filter(pk=assessment.pk))
        .values(
            "viewed_first",
            "viewed_opens",
            "viewed_links",
            "decision_kind",
            "decision_at",
            "decision_name",
            "decision_title",
            "decision_number",
        )
        .get()
    )


def days_in_stage(since: datetime | None, now: datetime | None = None) -> int | None:
    """Whole days a deal has spent in its stage (0 on its first day)."""
    if since is None:
        return None
    return max(0, ((now or timezone.now()) - since).days)


@dataclass(frozen=True)
class StageTotal:
    """One stage of the pipeline: how many deals, their seats, and their value per currency."""

    stage: str
    label: str
    count: int
    seats: int
    values: tuple[tuple[str, Decimal], ...]  # (currency, total), deals without a value aside
    unvalued: int


def stage_totals(qs: QuerySet[Assessment]) -> list[StageTotal]:
    """Totals per stage, in the pipeline's order, of assessments annotated by :func:`with_deal`.

    Values in different currencies are never added together: each currency is its own sum.
    One grouped query.
    """
    rows = (
        qs.order_by()
        .values("deal_stage", "deal__currency")
        .annotate(
            n=Count("pk"),
            valued=Count("deal__value"),
            seats=Sum("deal_seats"),
            value=Sum("deal__value"),
        )
    )
    by_stage: dict[str, dict] = {}
    for row in rows:
        stage = by_stage.setdefault(row["deal_stage"], {"n": 0, "seats": 0, "v": {}, "none": 0})
        stage["n"] += row["n"]
        stage["seats"] += row["seats"] or 0
        stage["none"] += row["n"] - row["valued"]
        if row["value"] is not None:
            currency = row["deal__currency"]
            stage["v"][currency] = stage["v"].get(currency, Decimal(0)) + row["value"]
    return [
        StageTotal(
            stage=value,
            label=label,
            count=by_stage.get(value, {}).get("n", 0),
            seats=by_stage.get(value, {}).get("seats", 0),
            values=tuple(sorted(by_stage.get(value, {}).get("v", {}).items())),
            unvalued=by_stage.get(value, {}).get("none", 0),
        )
        for value, label in Stage.choices
    ]


def deal_of(assessment: Assessment) -> Deal | None:
    """The assessment's deal, or ``None`` while nobody has set one."""
    return Deal.objects.filter(assessment=assessment).first()
